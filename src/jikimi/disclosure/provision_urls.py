"""제3자 제공 요청 (staff): HANDLE_PROVISIONS / APPROVE_PROVISIONS / APPROVE_URGENT_PROVISIONS on the institution."""

from django.urls import URLPattern, URLResolver, path

from jikimi.disclosure import after_views

app_name = "provisions"
urlpatterns: list[URLPattern | URLResolver] = [
    # What follows a provision: destruction, notice to the data subject, publication (issue 14).
    path("overdue", after_views.overdue, name="overdue"),
    path("<id:pk>/after", after_views.case_after, name="after"),
    path("<id:pk>/after/destruction", after_views.staff_destruction, name="after_destruction"),
    path("<id:pk>/after/notice", after_views.subject_notice, name="after_notice"),
    path("<id:pk>/after/publish", after_views.publish, name="after_publish"),
]
