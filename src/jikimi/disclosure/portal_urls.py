"""The requesting bodies' own pages (수사기관 등 외부 계정, APPLY_FOR_PROVISION): only their own body's cases.

They answer from outside the institution's networks (jikimi.accounts.access.PORTAL_NAMESPACE), always
behind the second factor there.
"""

from django.urls import path

from jikimi.disclosure import portal_destruction_views
from jikimi.disclosure import portal_views as views

app_name = "portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("apply/", views.apply, name="apply"),
    path("cases/<id:pk>/", views.case, name="case"),
    # The encrypted package handed over (R42); its password comes by another channel.
    path("cases/<id:pk>/package", views.package, name="package"),
    # The recipient's destruction report (군산시 제4조: 파기 및 통보).
    path("cases/<id:pk>/destruction", portal_destruction_views.destruction, name="destruction"),
]
