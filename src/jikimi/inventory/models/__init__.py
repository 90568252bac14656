"""The legal register (영상정보처리기기 설치·운영 현황) of an institution.

Everything the published policies say about an institution's video devices has a home here, so
that the policy, the signs and the 별지 forms can be generated from it and the vault can enforce it.
The register file format (registers/*.yaml) mirrors these models: a YAML key is a field name.
Validation that the law decides lives in `jikimi.rules.register_checks`; `jikimi.inventory.checks` applies it.
"""

from jikimi.inventory.models.devices import CREDENTIALS_PURPOSE, Device
from jikimi.inventory.models.fees import NOT_PUBLISHED, RequestFee
from jikimi.inventory.models.groups import (
    COORDINATES_NOT_PUBLISHED,
    COUNT_NOT_PUBLISHED,
    DEPARTMENT_NOT_PUBLISHED,
    DeviceGroup,
    Location,
)
from jikimi.inventory.models.organisation import Contractor, Department, Institution, Officer
from jikimi.inventory.models.policy import DeclaredTotal, PolicyDocument, PolicyRevision
from jikimi.inventory.models.ptz import PrivacyZone, PtzCamera, PtzPreset
from jikimi.inventory.models.source import RegisterSource

__all__ = [
    "COORDINATES_NOT_PUBLISHED",
    "COUNT_NOT_PUBLISHED",
    "CREDENTIALS_PURPOSE",
    "DEPARTMENT_NOT_PUBLISHED",
    "Contractor",
    "DeclaredTotal",
    "Department",
    "Device",
    "DeviceGroup",
    "Institution",
    "Location",
    "NOT_PUBLISHED",
    "Officer",
    "PolicyDocument",
    "PolicyRevision",
    "PrivacyZone",
    "PtzCamera",
    "PtzPreset",
    "RegisterSource",
    "RequestFee",
]
