"""What staff are told, in Korean, about the engine's refusals and failures.

The engine speaks English to logs and the command line ("not a video file FFmpeg can read ([Errno
1094995529] Invalid data found when processing input)", "cannot connect to rtsp://cam/1: Connection
refused"). A person at the upload page or reading a camera's outages is told what happened to which
file or camera and what to do, in Korean; the engine's text (with its paths, errno and addresses) goes
to the log and the audit entry only. A camera's address is never shown: it may carry the credentials
(R42), and the device's name says which camera it is.
"""

from __future__ import annotations

import re

from jikimi.engine.footage import FootageRejected

ACCEPTED_FORMATS = "MP4·MOV, MPEG-TS, MKV"
ACCEPTED_CODECS = "H.264, H.265(HEVC)"

_REJECTED: dict[str, str] = {
    "missing": "파일을 찾을 수 없습니다. 다시 올리세요",
    "empty": "빈 파일입니다 (0바이트)",
    "too_large": "파일이 너무 큽니다 ({size_mb:,} MB, 최대 {limit_mb:,} MB). 나누어 올리세요",
    "mp4_index_missing": (
        "MP4 파일이 끝까지 저장되지 않았습니다 (색인이 없음). 녹화기나 기기에서 다시 내려받으세요"
    ),
    "unreadable": f"영상 파일이 아니거나 읽을 수 없는 파일입니다. {ACCEPTED_FORMATS} 영상 파일을 올리세요",
    "wrong_format": f"영상 파일이 아닙니다 ({{format}} 형식). {ACCEPTED_FORMATS} 영상 파일을 올리세요",
    "no_video": "영상 트랙이 없는 파일입니다 (음성만 있거나 비어 있음)",
    "codec": (
        f"영상 압축 방식 '{{codec}}'은(는) 받을 수 없습니다 ({ACCEPTED_CODECS}만). 녹화기의 내보내기 설정을 확인하세요"
    ),
    "no_picture_size": "영상의 화면 크기를 알 수 없습니다. 손상되었거나 잘린 파일입니다",
    "demux_failed": "손상되었거나 잘린 파일입니다 ({frames}번째 프레임 뒤에서 읽지 못함)",
    "no_frames": "영상 프레임이 하나도 없는 파일입니다",
    "no_keyframe": "기준 프레임(키프레임)이 없어 나누어 저장할 수 없습니다",
    "frames_missing": "잘린 파일입니다 (파일이 밝힌 {declared}프레임 가운데 {frames}프레임만 있음)",
    "ends_early": "잘린 파일입니다 (파일이 밝힌 {declared:.0f}초 가운데 {seconds:.0f}초만 있음)",
    "corrupt": "손상된 파일입니다 ({frames}프레임 가운데 {corrupt}프레임이 손상됨)",
}


def rejected_file(error: FootageRejected, name: str) -> str:
    """Why the file `name` (as the person knows it) was refused: Korean, no path, no engine text."""
    template = _REJECTED.get(error.code, "영상 파일로 받을 수 없는 파일입니다")
    facts = dict(error.facts)
    if error.code == "too_large":
        facts["size_mb"] = -(-int(str(facts.get("size", 0))) // 1_000_000)
        facts["limit_mb"] = int(str(facts.get("limit", 0))) // 1_000_000
    try:
        reason = template.format(**facts)
    except (KeyError, ValueError):
        reason = template.split(" (")[0]
    return f"'{name}': {reason}"


_STOPPED = "; recorder stopped"
_HANGUL = re.compile(r"[가-힣]")


def recording_reason(reason: str) -> str:
    """A recorder's gap or state reason (engine.recording, English) as staff read it.

    Text already in Korean (the vault's own reasons: "저장 공간 부족", "녹화기 중지 …") is kept.
    """
    if not reason or _HANGUL.search(reason):
        return reason
    base = reason.removesuffix(_STOPPED)
    stopped = base != reason
    if base.startswith("cannot connect to "):
        said = "카메라에 연결할 수 없음 (카메라 전원·네트워크·계정 설정을 확인하세요)"
    elif " dropped: " in base:
        said = "카메라 영상 수신이 끊김"
    elif base == "the source ended the stream":
        said = "카메라가 영상 전송을 끝냄"
    elif "sends no video stream" in base:
        said = "카메라가 영상을 보내지 않음"
    elif "video codec" in base:
        said = f"카메라의 영상 압축 방식을 저장할 수 없음 ({ACCEPTED_CODECS}만)"
    elif base:  # "the recorder failed: …" and anything new
        said = "녹화기 오류 (자세한 내용은 녹화기 기록에)"
    else:
        said = "녹화 중단"
    return f"{said} — 녹화기 중지" if stopped else said
