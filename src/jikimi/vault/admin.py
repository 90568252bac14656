"""Read-only admin views of the vault: changes go through the actions, so they are audited."""

from __future__ import annotations

from django.contrib import admin

from jikimi.inventory.models import Device
from jikimi.lib.readonly_admin import ReadOnlyAdmin
from jikimi.vault.models import Destruction, LegalHold, RecordingTrigger

admin.site.register(Device, ReadOnlyAdmin)
admin.site.register(LegalHold, ReadOnlyAdmin)
admin.site.register(Destruction, ReadOnlyAdmin)
admin.site.register(RecordingTrigger, ReadOnlyAdmin)
