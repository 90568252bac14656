import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0005_location_keys_for_existing_locations"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="location",
            constraint=models.UniqueConstraint(fields=("device_group", "key"), name="unique_location_key"),
        ),
        # The foreign key comes beside the free-text location first; 0007 fills it, 0008 drops the text.
        migrations.AddField(
            model_name="device",
            name="location_ref",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="inventory.location",
            ),
        ),
    ]
