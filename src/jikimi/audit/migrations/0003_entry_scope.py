"""Each audit entry carries its scope: institution, department, device group (R36).

Nullable columns added with ALTER TABLE ADD COLUMN (also on SQLite, whose table is not rebuilt, so the
append-only triggers of 0002 stay). Entries written before have no scope and hash as they always did
(jikimi.audit.chain encodes the scope only when set).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only_triggers"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="scope_department",
            field=models.PositiveBigIntegerField(
                blank=True, db_index=True, null=True, verbose_name="부서 범위"
            ),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="scope_device_group",
            field=models.PositiveBigIntegerField(
                blank=True, db_index=True, null=True, verbose_name="기기 묶음 범위"
            ),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="scope_institution",
            field=models.PositiveBigIntegerField(
                blank=True, db_index=True, null=True, verbose_name="기관 범위"
            ),
        ),
    ]
