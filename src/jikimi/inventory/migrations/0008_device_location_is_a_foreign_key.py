import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0007_device_location_from_name"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="device",
            name="location",
        ),
        migrations.RenameField(
            model_name="device",
            old_name="location_ref",
            new_name="location",
        ),
        migrations.AlterField(
            model_name="device",
            name="location",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="devices",
                to="inventory.location",
                verbose_name="설치 위치",
            ),
        ),
    ]
