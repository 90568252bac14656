"""제3자 제공 요청 (staff): HANDLE_PROVISIONS / APPROVE_PROVISIONS / APPROVE_URGENT_PROVISIONS on the institution."""

from django.urls import URLPattern, URLResolver

app_name = "provisions"
urlpatterns: list[URLPattern | URLResolver] = []
