"""The control centre (통합관제센터) and the duties around it: live monitoring, camera health, incidents,
shifts, the controlled room and its visitors, the operating committee (오산시 지침 제3장, 제11조–제28조)."""
