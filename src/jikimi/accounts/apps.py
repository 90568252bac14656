from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jikimi.accounts"
    label = "accounts"
    verbose_name = "계정·권한"
