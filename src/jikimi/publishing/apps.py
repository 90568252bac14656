from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "jikimi.publishing"
    label = "publishing"
    verbose_name = "방침 공개"
