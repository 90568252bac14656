from django.apps import AppConfig


class ControlConfig(AppConfig):
    name = "jikimi.control"
    label = "control"
    verbose_name = "통합관제센터"
    default_auto_field = "django.db.models.BigAutoField"
