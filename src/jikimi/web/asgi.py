import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jikimi.web.settings")
django_application = get_asgi_application()

from jikimi.web.request_limits import capped_asgi  # noqa: E402 — needs the settings configured above

# Django's ASGI handler spools a whole body to disk before any middleware runs: cap it first.
application = capped_asgi(django_application)
