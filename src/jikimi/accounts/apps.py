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

        # django-otp registers its devices in the Django admin, keys and recovery codes included, and
        # lets anybody with the admin add a device to someone else's account. Second factors are
        # enrolled by their owner and reset through the account pages, audited (R38); never there.
        from django.contrib import admin
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        for model in (TOTPDevice, StaticDevice):
            if admin.site.is_registered(model):
                admin.site.unregister(model)
