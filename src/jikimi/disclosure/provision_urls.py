"""제3자 제공 요청 (staff): HANDLE_PROVISIONS / APPROVE_PROVISIONS / APPROVE_URGENT_PROVISIONS on the institution."""

from django.urls import URLPattern, URLResolver, path

from jikimi.disclosure import provision_views

app_name = "provisions"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", provision_views.index, name="index"),
    path("<id:pk>/", provision_views.case_detail, name="case"),
    path("<id:pk>/review", provision_views.review, name="review"),
    path("<id:pk>/decide", provision_views.decide, name="decide"),
    path("attachments/<id:pk>", provision_views.attachment, name="attachment"),
    # A letter received on paper (or by fax), typed in by an officer; the bodies that send letters.
    path("<slug:slug>/new", provision_views.new, name="new"),
    path("<slug:slug>/bodies/", provision_views.bodies, name="bodies"),
]
