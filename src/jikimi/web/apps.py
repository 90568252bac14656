from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "jikimi.web"
    label = "web"
    verbose_name = "jikimi"
