"""The staff's pages of requests: HANDLE_REQUESTS / DECIDE_REQUESTS on the institution."""

from django.urls import URLPattern, URLResolver, path

from jikimi.disclosure import decision_views

app_name = "disclosure"
urlpatterns: list[URLPattern | URLResolver] = [
    path("<id:pk>/decisions/", decision_views.decisions, name="decisions"),
    path("<id:pk>/decide/", decision_views.decide_request, name="decide"),
    path("<id:pk>/letters/<id:number>/", decision_views.letter, name="letter"),
    path("decisions/<id:pk>/fee/", decision_views.decision_fee, name="decision_fee"),
]
