# Locations get a stable key (the register file's `key`); 0005 gives existing ones a placeholder.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0003_device_moves_from_vault"),
    ]

    operations = [
        migrations.AddField(
            model_name="location",
            name="key",
            field=models.SlugField(
                default="",
                help_text="대장 파일 안에서 이 위치를 가리키는 이름 (묶음 안에서 하나)",
                max_length=60,
                verbose_name="식별자",
            ),
            preserve_default=False,
        ),
    ]
