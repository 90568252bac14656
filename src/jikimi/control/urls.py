from django.urls import URLPattern, URLResolver, path

from jikimi.control import (
    committee_views,
    duties_views,
    health_views,
    incident_views,
    inspection_pdf_views,
    ptz_views,
    room_views,
    self_inspection_views,
    wall_views,
)

app_name = "control"

urlpatterns: list[URLPattern | URLResolver] = [
    # the menu's one entry: the duties of the centre the person may reach (오산시 지침 제3장)
    path("", duties_views.index, name="index"),
    # shifts, the controlled room and its visitors (오산시 지침 제21조, 제22조, 제31조①)
    path("centre/", room_views.index, name="centre_index"),
    path("centre/<slug:slug>/", room_views.centre, name="centre"),
    path("centre/<slug:slug>/shifts/", room_views.shift_plan, name="shift_plan"),
    path("centre/<slug:slug>/handover/", room_views.handover, name="handover"),
    path("centre/<slug:slug>/checks/", room_views.shift_check, name="shift_check"),
    path("centre/<slug:slug>/visitors/", room_views.visitors, name="visitors"),
    path("centre/<slug:slug>/visitors/request/", room_views.visit_request, name="visit_request"),
    path("centre/<slug:slug>/visitors/decide/", room_views.visit_decide, name="visit_decide"),
    path("centre/<slug:slug>/visitors/entry/", room_views.visit_entry, name="visit_entry"),
    path("centre/<slug:slug>/visitors/exit/", room_views.visit_exit, name="visit_exit"),
    path("centre/<slug:slug>/door-log/", room_views.door_log, name="door_log"),
    # the operating committee (제24조)
    path("committee/<slug:slug>/", committee_views.committee, name="committee"),
    path("committee/<slug:slug>/members/", committee_views.member_add, name="committee_member"),
    path("committee/<slug:slug>/terms/", committee_views.term_add, name="committee_term"),
    path("committee/<slug:slug>/meetings/", committee_views.meeting_add, name="committee_meeting"),
    path("committee/<slug:slug>/agenda/", committee_views.agenda_add, name="committee_agenda"),
    path("committee/<slug:slug>/decisions/", committee_views.decision_add, name="committee_decision"),
    # the live wall (오산시 지침 제12조, 제19조; R41)
    path("wall/", wall_views.wall, name="wall"),
    path("wall/layout/", wall_views.wall_save, name="wall_save"),
    path("wall/<id:pk>/", wall_views.wall_live, name="wall_live"),
    path("wall/<id:pk>/camera/<id:device>/", wall_views.wall_camera, name="wall_camera"),
    path("live/<id:pk>/<id:device>/index.m3u8", wall_views.live_playlist, name="live_playlist"),
    path("live/<id:pk>/<id:device>/init/<str:name>", wall_views.live_init, name="live_init"),
    path("live/<id:pk>/<id:device>/part/<id:msn>.<id:part>.m4s", wall_views.live_part, name="live_part"),
    path("live/<id:pk>/<id:device>/segment/<id:msn>.m4s", wall_views.live_segment, name="live_segment"),
    # incidents (오산시 지침 제21조③)
    path("incidents/", incident_views.incident_list, name="incidents"),
    path("incidents/new", incident_views.incident_new, name="incident_new"),
    path("incidents/<id:pk>/", incident_views.incident_detail, name="incident"),
    path("incidents/<id:pk>/report", incident_views.incident_report, name="incident_report"),
    path("incidents/<id:pk>/follow-up", incident_views.incident_follow_up, name="incident_follow_up"),
    path("incidents/<id:pk>/close", incident_views.incident_close, name="incident_close"),
    # camera health, maintenance and the check of normal operation (제27조, 제31조④)
    path("health/", health_views.health, name="health"),
    path("health/tickets/", health_views.ticket_list, name="tickets"),
    path("health/tickets/<id:pk>/", health_views.ticket_detail, name="ticket"),
    path("health/tickets/<id:pk>/repair", health_views.ticket_repair, name="ticket_repair"),
    path("health/inspections/", health_views.inspections, name="inspections"),
    path("health/inspections/add", health_views.inspection_add, name="inspection_add"),
    path("health/inspections.xlsx", health_views.inspections_xlsx, name="inspections_xlsx"),
    path("health/inspections.pdf", inspection_pdf_views.inspections_pdf, name="inspections_pdf"),
    # the yearly self-inspection (표준 개인정보 보호지침 제52조, 오산시 지침 제26조; R8)
    path("self-inspection/", self_inspection_views.index, name="self_inspection_index"),
    path("self-inspection/<slug:slug>/", self_inspection_views.inspections, name="self_inspections"),
    path("self-inspection/<slug:slug>/start", self_inspection_views.start, name="self_inspection_start"),
    path("self-inspection/<slug:slug>/<id:year>/", self_inspection_views.inspection, name="self_inspection"),
    path(
        "self-inspection/<slug:slug>/<id:year>/items/<id:item>/answer",
        self_inspection_views.answer,
        name="self_inspection_answer",
    ),
    path(
        "self-inspection/<slug:slug>/<id:year>/findings",
        self_inspection_views.finding,
        name="self_inspection_finding",
    ),
    path(
        "self-inspection/<slug:slug>/<id:year>/complete",
        self_inspection_views.complete,
        name="self_inspection_complete",
    ),
    path(
        "self-inspection/<slug:slug>/<id:year>/report.pdf",
        self_inspection_views.report_pdf_view,
        name="self_inspection_pdf",
    ),
    path(
        "self-inspection/<slug:slug>/<id:year>/report.xlsx",
        self_inspection_views.report_xlsx_view,
        name="self_inspection_xlsx",
    ),
    # pan/tilt/zoom: approved presets, moves with reasons, alerts (R14; 오산시 지침 제18조①, 제29조①)
    path("ptz/", ptz_views.ptz_index, name="ptz"),
    path("ptz/<id:device>/", ptz_views.ptz_camera, name="ptz_camera"),
    path("ptz/<id:device>/move", ptz_views.ptz_move, name="ptz_move"),
    path("ptz/alerts/<id:move>/close", ptz_views.ptz_close_alert, name="ptz_close_alert"),
]
