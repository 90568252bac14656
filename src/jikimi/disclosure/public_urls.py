"""The citizen's pages: the 청구서 (no login) and a request's private status link (R20, R21, R28)."""

from django.urls import URLPattern, URLResolver, path

from jikimi.disclosure import decision_views, public_views

app_name = "requests"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", public_views.index, name="index"),
    path("<slug:slug>/new", public_views.new, name="new"),
    # The token is the only key: 43 URL-safe characters (status_links); anything else is not found.
    path("s/<str:token>/", public_views.status, name="status"),
    # The decision letters through the private status link.
    path("s/<str:token>/letters/<int:number>/", decision_views.public_letter, name="letter"),
]
