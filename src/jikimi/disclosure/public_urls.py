"""The citizen's pages: the 청구서 (no login) and a request's private status link (R20, R21, R28)."""

from django.urls import URLPattern, URLResolver, path

from jikimi.disclosure import delivery_views

app_name = "requests"
urlpatterns: list[URLPattern | URLResolver] = [
    # The masked copy through the status link (the token is the only key; R25, R42).
    path("s/<str:token>/copy/<id:pk>", delivery_views.download_copy, name="download_copy"),
    path("s/<str:token>/online/<id:pk>/", delivery_views.view_online, name="view_online"),
    path("s/<str:token>/online/<id:pk>/video.mp4", delivery_views.online_video, name="online_video"),
]
