from django.contrib import admin
from django.urls import include, path

from jikimi.web import views
from jikimi.web.api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("jikimi.accounts.urls")),
    path("register/", include("jikimi.inventory.urls")),
    path("audit/", include("jikimi.audit.urls")),
    path("vault/", include("jikimi.vault.urls")),
    path("disclosure/", include("jikimi.disclosure.urls")),
    path("requests/", include("jikimi.disclosure.public_urls")),
    path("provisions/", include("jikimi.disclosure.provision_urls")),
    path("portal/", include("jikimi.disclosure.portal_urls")),
    path("external-accounts/", include("jikimi.disclosure.portal_accounts_urls")),
    path("ledger/", include("jikimi.disclosure.ledger_urls")),
    path("control/", include("jikimi.control.urls")),
    path("api/", api.urls),
    path("", include("jikimi.publishing.urls")),
]
