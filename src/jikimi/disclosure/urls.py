"""The staff's pages of requests: HANDLE_REQUESTS / DECIDE_REQUESTS on the institution."""

from django.urls import URLPattern, URLResolver, path

from jikimi.disclosure import counter_views, decision_views, staff_views

app_name = "disclosure"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", staff_views.index, name="index"),
    path("<id:pk>/", staff_views.request_detail, name="request"),
    path("<id:pk>/identity/", staff_views.verify, name="verify_identity"),
    path("<id:pk>/postpone/", staff_views.postpone_view, name="postpone"),
    path("<id:pk>/close/", staff_views.close, name="close"),
    path("<id:pk>/withdraw/", staff_views.withdraw, name="withdraw"),
    path("<id:pk>/decisions/", decision_views.decisions, name="decisions"),
    path("<id:pk>/decide/", decision_views.decide_request, name="decide"),
    path("<id:pk>/letters/<int:number>/", decision_views.letter, name="letter"),
    path("decisions/<id:pk>/fee/", decision_views.decision_fee, name="decision_fee"),
    # Intake at the counter (방문·우편·팩스): the same 청구서, filled in by an officer.
    path("counter/<slug:slug>/new", counter_views.counter_new, name="counter_new"),
    path("attachments/<id:pk>", counter_views.attachment, name="attachment"),
]
