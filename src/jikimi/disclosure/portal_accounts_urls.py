"""Investigating bodies' officers' accounts (staff, MANAGE_ACCOUNTS): /external-accounts/."""

from django.urls import path

from jikimi.disclosure import portal_accounts_views as views

app_name = "external_accounts"
urlpatterns = [
    path("", views.officer_list, name="officer_list"),
    path("new/", views.officer_create, name="officer_create"),
]
