from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0013_declared_total_and_revision_keys_for_existing_rows"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="declaredtotal",
            constraint=models.UniqueConstraint(
                fields=("institution", "key"), name="unique_declared_total_key"
            ),
        ),
        migrations.AddConstraint(
            model_name="policyrevision",
            constraint=models.UniqueConstraint(
                fields=("institution", "key"), name="unique_policy_revision_key"
            ),
        ),
    ]
