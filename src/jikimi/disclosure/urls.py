"""The staff's pages of requests: HANDLE_REQUESTS / DECIDE_REQUESTS on the institution."""

from django.urls import URLPattern, URLResolver, path

from jikimi.disclosure import counter_views, decision_views, delivery_views, masking_views, staff_views

app_name = "disclosure"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", staff_views.index, name="index"),
    path("<id:pk>/", staff_views.request_detail, name="request"),
    path("<id:pk>/identity/", staff_views.verify, name="verify_identity"),
    path("<id:pk>/postpone/", staff_views.postpone_view, name="postpone"),
    path("<id:pk>/close/", staff_views.close, name="close"),
    path("<id:pk>/withdraw/", staff_views.withdraw, name="withdraw"),
    # A typed 설치장소 given its sites: the legal hold is placed then (actions.places).
    path("<id:pk>/place/", staff_views.resolve_place_view, name="resolve_place"),
    path("<id:pk>/decisions/", decision_views.decisions, name="decisions"),
    path("<id:pk>/decide/", decision_views.decide_request, name="decide"),
    path("<id:pk>/letters/<id:number>/", decision_views.letter, name="letter"),
    path(
        "<id:pk>/postponements/<id:number>/letter/",
        decision_views.postponement_letter,
        name="postponement_letter",
    ),
    path("decisions/<id:pk>/fee/", decision_views.decision_fee, name="decision_fee"),
    # Intake at the counter (방문·우편·팩스): the same 청구서, filled in by an officer.
    path("counter/<slug:slug>/new", counter_views.counter_new, name="counter_new"),
    path("attachments/<id:pk>", counter_views.attachment, name="attachment"),
    # The masked copy (R25): the request page's panel, the review of a job, its approval and delivery.
    path("<id:pk>/masking/", masking_views.panel, name="masking"),
    path("<id:pk>/masking/start", masking_views.start, name="masking_start"),
    path("masking/<id:pk>/", masking_views.review, name="masking_review"),
    path("masking/<id:pk>/progress", masking_views.progress, name="masking_progress"),
    path("masking/<id:pk>/video.mp4", masking_views.preview_video, name="masking_video"),
    path("masking/<id:pk>/tracks.json", masking_views.tracks, name="masking_tracks"),
    path("masking/<id:pk>/change", masking_views.change, name="masking_change"),
    path("masking/<id:pk>/render", masking_views.rerender, name="masking_rerender"),
    path("masking/<id:pk>/restart", masking_views.restart, name="masking_restart"),
    path("masking/<id:pk>/approve", masking_views.approve, name="masking_approve"),
    path("masking/<id:pk>/copy", delivery_views.prepare_copy, name="masking_copy"),
    path("masking/<id:pk>/copy/status", delivery_views.copy_status, name="masking_copy_status"),
    path("masking/<id:pk>/copy/withdraw", delivery_views.withdraw_copy, name="masking_copy_withdraw"),
    path("masking/<id:pk>/online", delivery_views.open_online, name="masking_online"),
]
