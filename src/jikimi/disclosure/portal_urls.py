"""The requesting bodies' own pages (수사기관 등 외부 계정, APPLY_FOR_PROVISION): only their own body's cases."""

from django.urls import URLPattern, URLResolver

app_name = "portal"
urlpatterns: list[URLPattern | URLResolver] = []
