from django.apps import AppConfig
from django.urls import register_converter


class LibConfig(AppConfig):
    """Django finds the shared print template (templates/lib/print/base.html) through this app, and
    the URL conf the `id` and `key` converters (jikimi.lib.input_limits)."""

    name = "jikimi.lib"
    label = "lib"
    verbose_name = "공용 모듈"

    def ready(self) -> None:
        from jikimi.lib.input_limits import IdConverter, KeyConverter

        register_converter(IdConverter, "id")
        register_converter(KeyConverter, "key")
