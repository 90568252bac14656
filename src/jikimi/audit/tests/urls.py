"""The site's URLs plus the audit pages, for tests run before jikimi.web.urls includes them."""

from django.urls import URLResolver, include, path

from jikimi.web.urls import urlpatterns as site_patterns

_included = any(isinstance(p, URLResolver) and p.namespace == "audit" for p in site_patterns)
urlpatterns = list(site_patterns) + ([] if _included else [path("audit/", include("jikimi.audit.urls"))])
