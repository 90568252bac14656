from django.urls import path

from jikimi.audit import review_views, views

app_name = "audit"
urlpatterns = [
    path("", views.entry_list, name="entry_list"),
    path("export/", views.export, name="export"),
    path("verify/", views.verify, name="verify"),
    path("review/", review_views.review, name="review"),
    path("review/sign/", review_views.sign, name="review_sign"),
]
