from django.apps import AppConfig


class LibConfig(AppConfig):
    """An app only so that Django finds the shared print template (templates/lib/print/base.html)."""

    name = "jikimi.lib"
    label = "lib"
    verbose_name = "공용 모듈"
