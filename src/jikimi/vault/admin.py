"""Read-only admin views of the vault: changes go through the actions, so they are audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from jikimi.inventory.models import Device
from jikimi.vault.models import Destruction, LegalHold


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


admin.site.register(Device, ReadOnly)
admin.site.register(LegalHold, ReadOnly)
admin.site.register(Destruction, ReadOnly)
