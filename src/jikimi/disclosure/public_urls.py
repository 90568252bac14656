"""The citizen's pages: the 청구서 (no login) and a request's private status link (R20, R21, R28)."""

from django.urls import URLPattern, URLResolver, path

from jikimi.disclosure import after_views, decision_views, delivery_views, public_views

app_name = "requests"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", public_views.index, name="index"),
    path("signing-key.pem", public_views.published_signing_key, name="signing_key"),
    path("<slug:slug>/new", public_views.new, name="new"),
    # 법 제18조④ (R31): the institution's 개인정보 목적 외 이용 및 제3자 제공 현황 (no personal data).
    path("<slug:slug>/provisions", after_views.public_provisions, name="provisions"),
    # The token is the only key: 43 URL-safe characters (status_links); anything else is not found.
    path("s/<str:token>/", public_views.status, name="status"),
    # The decision letters through the private status link.
    path("s/<str:token>/letters/<id:number>/", decision_views.public_letter, name="letter"),
    path(
        "s/<str:token>/postponements/<id:number>/",
        decision_views.public_postponement_letter,
        name="postponement_letter",
    ),
    # The masked copy through the status link (the token is the only key; R25, R42).
    path("s/<str:token>/copy/<id:pk>", delivery_views.download_copy, name="download_copy"),
    path("s/<str:token>/online/<id:pk>/", delivery_views.view_online, name="view_online"),
    path("s/<str:token>/online/<id:pk>/video.mp4", delivery_views.online_video, name="online_video"),
]
