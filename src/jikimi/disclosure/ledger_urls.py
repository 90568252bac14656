"""The 관리대장 and the yearly figures (VIEW_LEDGER)."""

from django.urls import URLPattern, URLResolver

app_name = "ledger"
urlpatterns: list[URLPattern | URLResolver] = []
