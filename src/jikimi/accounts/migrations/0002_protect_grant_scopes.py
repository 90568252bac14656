"""The scope rows of a grant become explicit models whose foreign keys PROTECT (R36).

The tables stay exactly as Django created them for the automatic many-to-many fields (same names,
columns and unique pair), so the database is not touched: only Django's idea of the models changes.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("inventory", "0001_initial"),
    ]

    state_operations = [
        migrations.CreateModel(
            name="GrantDepartment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "department",
                    models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to="inventory.department"),
                ),
                (
                    "rolegrant",
                    models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to="accounts.rolegrant"),
                ),
            ],
            options={
                "db_table": "accounts_rolegrant_departments",
                "unique_together": {("rolegrant", "department")},
            },
        ),
        migrations.AlterField(
            model_name="rolegrant",
            name="departments",
            field=models.ManyToManyField(
                blank=True,
                related_name="role_grants",
                through="accounts.GrantDepartment",
                to="inventory.department",
                verbose_name="부서 범위",
            ),
        ),
        migrations.CreateModel(
            name="GrantDeviceGroup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "devicegroup",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, to="inventory.devicegroup"
                    ),
                ),
                (
                    "rolegrant",
                    models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to="accounts.rolegrant"),
                ),
            ],
            options={
                "db_table": "accounts_rolegrant_device_groups",
                "unique_together": {("rolegrant", "devicegroup")},
            },
        ),
        migrations.AlterField(
            model_name="rolegrant",
            name="device_groups",
            field=models.ManyToManyField(
                blank=True,
                related_name="role_grants",
                through="accounts.GrantDeviceGroup",
                to="inventory.devicegroup",
                verbose_name="기기 묶음 범위",
            ),
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations, database_operations=[])
    ]
