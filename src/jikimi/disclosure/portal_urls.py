"""The requesting bodies' own pages (수사기관 등 외부 계정, APPLY_FOR_PROVISION): only their own body's cases."""

from django.urls import URLPattern, URLResolver, path

from jikimi.disclosure import portal_destruction_views

app_name = "portal"
urlpatterns: list[URLPattern | URLResolver] = [
    # The recipient's destruction report (군산시 제4조: 파기 및 통보).
    path("<id:pk>/destruction", portal_destruction_views.destruction, name="destruction"),
]
