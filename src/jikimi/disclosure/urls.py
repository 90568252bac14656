"""The staff's pages of requests: HANDLE_REQUESTS / DECIDE_REQUESTS on the institution."""

from django.urls import URLPattern, URLResolver

app_name = "disclosure"
urlpatterns: list[URLPattern | URLResolver] = []
