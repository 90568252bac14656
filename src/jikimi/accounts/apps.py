from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jikimi.accounts"
    label = "accounts"
    verbose_name = "계정·권한"

    def ready(self) -> None:
        # audit sits below accounts and cannot ask it who reads which entries: accounts tells it (R36).
        from jikimi.accounts.permissions import readable_audit_scope
        from jikimi.audit.access import provide_readable_scope

        provide_readable_scope(readable_audit_scope)
