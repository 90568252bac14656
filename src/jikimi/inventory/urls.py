from django.urls import path

from jikimi.web import views

app_name = "inventory"
urlpatterns = [path("", views.home, name="group_list")]
