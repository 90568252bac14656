"""The citizen's pages: the 청구서 (no login) and a request's private status link (R20, R21, R28)."""

from django.urls import URLPattern, URLResolver

app_name = "requests"
urlpatterns: list[URLPattern | URLResolver] = []
