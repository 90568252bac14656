"""Entries written before entries carried a scope get one, beside the chain (R36).

Without it, every entry of the log as it was before the upgrade — viewings with their purposes and
client addresses included — would stay the "system's", read by every institution's auditors. Their
hashes cover no scope, so the scope derived here from each entry's target (or, with no target, from
the acting user) is kept in its own table, jikimi.audit.models.LegacyScope; it only decides who reads
the entry. Entries whose target is gone and whose actor has no institution stay the system's.

Reads the register's, the vault's, publishing's and accounts' tables as they were then (by Django's
historical models, no import): this migration runs after theirs.
"""

from collections import defaultdict

import django.db.models.deletion
from django.db import migrations, models

# target_type (Model._meta.label, as the entry stored it) → the lookup from that row to its device group.
_GROUP_OF = {
    "inventory.DeviceGroup": "id",
    "inventory.Location": "device_group_id",
    "inventory.Device": "device_group_id",
    "vault.DayKey": "device__device_group_id",
    "vault.Segment": "device__device_group_id",
    "vault.RecordingOutage": "device__device_group_id",
    "vault.LegalHold": "device__device_group_id",
    "vault.Destruction": "device__device_group_id",
    "vault.Viewing": "device__device_group_id",
    "vault.RecordingTrigger": "device_group_id",
}
# The device model lived in the vault before it moved to the register (inventory 0003).
_MOVED = {"vault.Device": "inventory.Device"}
_OTHER = {"inventory.Institution", "inventory.Department", "publishing.PolicyVersion", "accounts.User"}


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _scopes(apps, label, ids):
    """{pk: (institution, department, device group)} of the rows of `label` with these ids."""
    app, name = _MOVED.get(label, label).split(".")
    rows = apps.get_model(app, name).objects.filter(pk__in=ids)
    if _MOVED.get(label, label) in _GROUP_OF:
        groups = apps.get_model("inventory", "DeviceGroup").objects
        scope_of_group = {
            g: (i, d, g) for g, i, d in groups.values_list("id", "institution_id", "department_id")
        }
        pairs = rows.values_list("pk", _GROUP_OF[_MOVED.get(label, label)])
        return {pk: scope_of_group[g] for pk, g in pairs if g in scope_of_group}
    if label == "inventory.Institution":
        return {pk: (pk, None, None) for pk in rows.values_list("pk", flat=True)}
    if label == "inventory.Department":
        return {pk: (i, pk, None) for pk, i in rows.values_list("pk", "institution_id")}
    if label == "publishing.PolicyVersion":
        return {pk: (i, None, None) for pk, i in rows.values_list("pk", "institution_id")}
    # accounts.User: a person's entries are their institution's and department's
    triples = rows.values_list("pk", "institution_id", "department_id")
    return {pk: (i, d, None) for pk, i, d in triples if i is not None}


def derive(apps, schema_editor):
    Entry = apps.get_model("audit", "AuditEntry")
    LegacyScope = apps.get_model("audit", "LegacyScope")
    rows = list(
        Entry.objects.filter(
            scope_institution__isnull=True, scope_department__isnull=True, scope_device_group__isnull=True
        )
        .values_list("pk", "target_type", "target_id", "actor_id")
        .iterator(chunk_size=5000)
    )
    known = set(_GROUP_OF) | set(_MOVED) | _OTHER
    wanted = defaultdict(set)
    for _, target_type, target_id, actor_id in rows:
        if target_type in known and _int(target_id) is not None:
            wanted[target_type].add(_int(target_id))
        if actor_id is not None:
            wanted["accounts.User"].add(actor_id)
    found = {label: _scopes(apps, label, ids) for label, ids in wanted.items()}
    users = found.get("accounts.User", {})
    scopes = []
    for pk, target_type, target_id, actor_id in rows:
        # The target's scope; failing that (no target, or gone), the acting person's.
        scope = found.get(target_type, {}).get(_int(target_id)) or users.get(actor_id)
        if scope is not None:
            scopes.append(
                LegacyScope(entry_id=pk, institution=scope[0], department=scope[1], device_group=scope[2])
            )
    LegacyScope.objects.bulk_create(scopes, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_entry_scope"),
        ("accounts", "0002_protect_grant_scopes"),
        ("inventory", "0017_device_source_credentials"),
        ("vault", "0005_recording_trigger"),
        ("publishing", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="LegacyScope",
            fields=[
                (
                    "entry",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="legacy_scope",
                        serialize=False,
                        to="audit.auditentry",
                    ),
                ),
                ("institution", models.PositiveBigIntegerField(blank=True, db_index=True, null=True)),
                ("department", models.PositiveBigIntegerField(blank=True, db_index=True, null=True)),
                ("device_group", models.PositiveBigIntegerField(blank=True, db_index=True, null=True)),
            ],
            options={
                "verbose_name": "이전 감사 기록의 범위",
            },
        ),
        migrations.RunPython(derive, migrations.RunPython.noop),
    ]
