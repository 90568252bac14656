"""제3자 제공 요청 (staff): HANDLE_PROVISIONS / APPROVE_PROVISIONS / APPROVE_URGENT_PROVISIONS on the institution."""

from django.urls import URLPattern, URLResolver, path

from jikimi.disclosure import after_views, provision_views

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
    # What follows a provision: destruction, notice to the data subject, publication (issue 14).
    path("overdue", after_views.overdue, name="overdue"),
    path("<id:pk>/after", after_views.case_after, name="after"),
    path("<id:pk>/after/destruction", after_views.staff_destruction, name="after_destruction"),
    path("<id:pk>/after/notice", after_views.subject_notice, name="after_notice"),
    path("<id:pk>/after/publish", after_views.publish, name="after_publish"),
]
