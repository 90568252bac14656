"""Every change to the register: one function each, one transaction each, one audit entry each.

importing  the whole register from its file (the bulk route)
groups     a device group's fields and locations on its edit page
entries    one entry of the register in the browser (institution, department, officer, contractor,
           a new device group, the privacy officer), checked exactly as the file import checks it
ptz_views  a location's approved PTZ presets and privacy zones, one at a time, checked the same way
ptz        where a PTZ camera's ONVIF service answers; the demo's own presets
coordinates  sites' coordinates from the institution's 공공데이터 CCTV정보 file (the map of sites)
"""

from jikimi.inventory.actions.coordinates import CoordinatesFileRefused, fill_site_coordinates
from jikimi.inventory.actions.entries import EntryRefused, RegisterEdit, edit_register
from jikimi.inventory.actions.groups import (
    EDITABLE_FIELDS,
    GroupChangeRefused,
    GroupTermChangesNotConfirmed,
    GroupUpdate,
    LocationChange,
    update_device_group,
)
from jikimi.inventory.actions.importing import ImportResult, TermChangesNotConfirmed, import_register

__all__ = [
    "EDITABLE_FIELDS",
    "CoordinatesFileRefused",
    "EntryRefused",
    "GroupChangeRefused",
    "GroupTermChangesNotConfirmed",
    "GroupUpdate",
    "ImportResult",
    "LocationChange",
    "RegisterEdit",
    "TermChangesNotConfirmed",
    "edit_register",
    "fill_site_coordinates",
    "import_register",
    "update_device_group",
]
