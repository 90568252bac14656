from django.apps import AppConfig


class VaultConfig(AppConfig):
    name = "jikimi.vault"
    label = "vault"
    verbose_name = "영상 보관"
    default_auto_field = "django.db.models.BigAutoField"
