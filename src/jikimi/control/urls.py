from django.urls import URLPattern, URLResolver, path

from jikimi.control import committee_views, room_views

app_name = "control"

urlpatterns: list[URLPattern | URLResolver] = [
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
]
