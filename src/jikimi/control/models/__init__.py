"""The control centre's records, one module per duty (other duties add their own modules here)."""

from jikimi.control.models.committee import AgendaItem, CommitteeMember, CommitteeTerm, Decision, Meeting
from jikimi.control.models.shifts import Handover, Shift, ShiftMember
from jikimi.control.models.visitors import CHECKLIST, DoorEntry, DoorLogImport, SecurityCheck, Visit

__all__ = [
    "CHECKLIST",
    "AgendaItem",
    "CommitteeMember",
    "CommitteeTerm",
    "Decision",
    "DoorEntry",
    "DoorLogImport",
    "Handover",
    "Meeting",
    "SecurityCheck",
    "Shift",
    "ShiftMember",
    "Visit",
]
