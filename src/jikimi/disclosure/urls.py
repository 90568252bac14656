"""The staff's pages of requests: HANDLE_REQUESTS / DECIDE_REQUESTS on the institution."""

from django.urls import URLPattern, URLResolver, path

from jikimi.disclosure import counter_views

app_name = "disclosure"
urlpatterns: list[URLPattern | URLResolver] = [
    # Intake at the counter (방문·우편·팩스): the same 청구서, filled in by an officer.
    path("counter/<slug:slug>/new", counter_views.counter_new, name="counter_new"),
    path("attachments/<id:pk>", counter_views.attachment, name="attachment"),
]
