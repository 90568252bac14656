from django.contrib import admin

from jikimi.accounts.admin import InstitutionScopedAdmin
from jikimi.publishing.models import PolicyVersion


@admin.register(PolicyVersion)
class PolicyVersionAdmin(InstitutionScopedAdmin):
    """Read-only: a version is created by publishing.actions.publish_policy and never changed (R5).

    Shown in the institutions where the user holds VIEW_REGISTER institution-wide (jikimi.accounts.admin).
    """

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
