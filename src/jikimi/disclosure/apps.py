from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "jikimi.disclosure"
    label = "disclosure"
    verbose_name = "열람 등 청구"
    default_auto_field = "django.db.models.BigAutoField"
