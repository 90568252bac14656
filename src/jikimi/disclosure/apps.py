from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "jikimi.disclosure"
    label = "disclosure"
    verbose_name = "열람 등 청구"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The 관리대장 is written from the audit log, in the audited action's transaction (R26, R30).
        from jikimi.audit.signals import entries_recorded
        from jikimi.disclosure.ledger import write_ledger_entries

        entries_recorded.connect(write_ledger_entries, dispatch_uid="jikimi.disclosure.ledger")
