from django.urls import path

from jikimi.inventory import views

app_name = "inventory"
urlpatterns = [
    path("", views.group_list, name="group_list"),
    path("reconciliation/", views.reconciliation, name="reconciliation"),
    path("groups/<id:pk>/", views.group_detail, name="group_detail"),
    path("groups/<id:pk>/edit/", views.group_edit, name="group_edit"),
]
