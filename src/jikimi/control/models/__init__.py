"""The control centre's records, one module per duty."""

from jikimi.control.models.health import InspectionCheck, MaintenanceTicket
from jikimi.control.models.incidents import Incident, IncidentFollowUp, IncidentNotice

__all__ = ["Incident", "IncidentFollowUp", "IncidentNotice", "InspectionCheck", "MaintenanceTicket"]
