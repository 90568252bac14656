"""Data subjects' requests (열람·존재확인·삭제 청구, 법 제35조·제36조, R20–R28) and what is done with them."""

from jikimi.disclosure.models.decisions import Decision
from jikimi.disclosure.models.handover import ProvisionDelivery
from jikimi.disclosure.models.ledger import LedgerEntry
from jikimi.disclosure.models.masking import CopyDelivery, MaskingJob
from jikimi.disclosure.models.package_jobs import PackageJob
from jikimi.disclosure.models.postponements import Postponement
from jikimi.disclosure.models.provisions import (
    ExternalRequester,
    ProvisionAttachment,
    ProvisionCase,
    ProvisionFootage,
    RequestingBody,
)
from jikimi.disclosure.models.requests import (
    IdentityCheck,
    PlaceResolution,
    RequestAttachment,
    SubjectRequest,
)

__all__ = [
    "CopyDelivery",
    "Decision",
    "ExternalRequester",
    "IdentityCheck",
    "LedgerEntry",
    "MaskingJob",
    "PackageJob",
    "PlaceResolution",
    "Postponement",
    "ProvisionAttachment",
    "ProvisionCase",
    "ProvisionDelivery",
    "ProvisionFootage",
    "RequestingBody",
    "RequestAttachment",
    "SubjectRequest",
]
