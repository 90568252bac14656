from django.contrib import admin

from jikimi.lib.readonly_admin import ReadOnlyAdmin
from jikimi.publishing.models import PolicyVersion


@admin.register(PolicyVersion)
class PolicyVersionAdmin(ReadOnlyAdmin):
    """Read-only: a version is created by publishing.actions.publish_policy and never changed (R5)."""

    list_display = (
        "institution",
        "number",
        "announced_on",
        "effective_on",
        "published_at",
        "published_by_label",
    )
    list_filter = ("institution",)
    readonly_fields = [field.name for field in PolicyVersion._meta.fields]
