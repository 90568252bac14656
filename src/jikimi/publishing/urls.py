from django.urls import path

from jikimi.web import views

app_name = "publishing"
urlpatterns = [path("publishing/", views.home, name="staff_index")]
