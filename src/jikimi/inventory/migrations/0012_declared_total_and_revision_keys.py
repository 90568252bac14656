# Declared totals and policy revisions get a stable key and keep the file's order; 0013 fills both for
# existing rows, 0014 makes the keys unique (three migrations: see 0005 on PostgreSQL).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0011_department_key_unique"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="declaredtotal",
            options={
                "ordering": ["institution", "position", "id"],
                "verbose_name": "공표 합계",
                "verbose_name_plural": "공표 합계",
            },
        ),
        migrations.AddField(
            model_name="declaredtotal",
            name="key",
            field=models.SlugField(
                default="",
                help_text="대장 파일 안에서 이 합계를 가리키는 이름",
                max_length=60,
                verbose_name="식별자",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="declaredtotal",
            name="position",
            field=models.PositiveIntegerField(default=0, verbose_name="순서"),
        ),
        migrations.AddField(
            model_name="policyrevision",
            name="key",
            field=models.SlugField(
                default="",
                help_text="대장 파일 안에서 이 제·개정을 가리키는 이름",
                max_length=60,
                verbose_name="식별자",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="policyrevision",
            name="position",
            field=models.PositiveIntegerField(default=0, verbose_name="순서"),
        ),
    ]
