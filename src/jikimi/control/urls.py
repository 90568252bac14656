from django.urls import URLPattern, URLResolver, path

from jikimi.control import health_views, incident_views

app_name = "control"

urlpatterns: list[URLPattern | URLResolver] = [
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
]
