"""The citizen's pages: the 청구서 (no login) and a request's private status link (R20, R21, R28)."""

from django.urls import URLPattern, URLResolver, path

from jikimi.disclosure import decision_views

app_name = "requests"
urlpatterns: list[URLPattern | URLResolver] = [
    # The decision letters through the private status link (the desk's status page lists them).
    path("status/<str:token>/letters/<id:number>/", decision_views.public_letter, name="letter"),
]
