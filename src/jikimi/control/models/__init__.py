"""The control centre's records, one module per duty."""

from jikimi.control.models.committee import AgendaItem, CommitteeMember, CommitteeTerm, Decision, Meeting
from jikimi.control.models.health import InspectionCheck, MaintenanceTicket
from jikimi.control.models.incidents import Incident, IncidentFollowUp, IncidentNotice
from jikimi.control.models.ptz import PtzMove
from jikimi.control.models.self_inspection import SelfInspection, SelfInspectionFinding, SelfInspectionItem
from jikimi.control.models.shifts import Handover, Shift, ShiftMember
from jikimi.control.models.visitors import CHECKLIST, DoorEntry, DoorLogImport, SecurityCheck, Visit
from jikimi.control.models.wall import LiveViewing, WallLayout

__all__ = [
    "CHECKLIST",
    "AgendaItem",
    "CommitteeMember",
    "CommitteeTerm",
    "Decision",
    "DoorEntry",
    "DoorLogImport",
    "Handover",
    "Incident",
    "IncidentFollowUp",
    "IncidentNotice",
    "InspectionCheck",
    "LiveViewing",
    "MaintenanceTicket",
    "Meeting",
    "PtzMove",
    "SecurityCheck",
    "SelfInspection",
    "SelfInspectionFinding",
    "SelfInspectionItem",
    "Shift",
    "ShiftMember",
    "Visit",
    "WallLayout",
]
