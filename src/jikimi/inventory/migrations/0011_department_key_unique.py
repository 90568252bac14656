from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0010_department_keys_for_existing_departments"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="department",
            constraint=models.UniqueConstraint(fields=("institution", "key"), name="unique_department_key"),
        ),
    ]
