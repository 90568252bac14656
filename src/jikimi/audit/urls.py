from django.urls import path

from jikimi.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.entry_list, name="entry_list"),
    path("verify/", views.verify, name="verify"),
]
