"""The staff's pages of requests: HANDLE_REQUESTS / DECIDE_REQUESTS on the institution."""

from django.urls import URLPattern, URLResolver, path

from jikimi.disclosure import delivery_views, masking_views

app_name = "disclosure"
urlpatterns: list[URLPattern | URLResolver] = [
    # The masked copy (R25): the request page's panel, the review of a job, its approval and delivery.
    path("<id:pk>/masking/", masking_views.panel, name="masking"),
    path("<id:pk>/masking/start", masking_views.start, name="masking_start"),
    path("masking/<id:pk>/", masking_views.review, name="masking_review"),
    path("masking/<id:pk>/progress", masking_views.progress, name="masking_progress"),
    path("masking/<id:pk>/video.mp4", masking_views.preview_video, name="masking_video"),
    path("masking/<id:pk>/tracks.json", masking_views.tracks, name="masking_tracks"),
    path("masking/<id:pk>/change", masking_views.change, name="masking_change"),
    path("masking/<id:pk>/render", masking_views.rerender, name="masking_rerender"),
    path("masking/<id:pk>/approve", masking_views.approve, name="masking_approve"),
    path("masking/<id:pk>/copy", delivery_views.prepare_copy, name="masking_copy"),
    path("masking/<id:pk>/online", delivery_views.open_online, name="masking_online"),
]
