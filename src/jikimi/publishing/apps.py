from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "jikimi.publishing"
    label = "publishing"
    verbose_name = "방침 공개"

    def ready(self) -> None:
        # inventory sits below publishing and cannot import what a policy section may name: publishing
        # tells it, so that the register's pages offer exactly these (R4 covers, R20 청구서 boxes).
        from jikimi.inventory.section_options import provide_section_options
        from jikimi.publishing.coverage import COVERABLE_KEYS
        from jikimi.publishing.sections_standard import REQUEST_CHOICES

        provide_section_options(COVERABLE_KEYS, REQUEST_CHOICES)
