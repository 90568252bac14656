# Departments get a stable key (the register file's `key`); 0010 gives existing ones a placeholder and
# 0011 makes keys unique per institution (three migrations: see 0005 on PostgreSQL).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0008_device_location_is_a_foreign_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="department",
            name="key",
            field=models.SlugField(
                default="",
                help_text="대장 파일 안에서 이 부서의 변하지 않는 이름",
                max_length=60,
                verbose_name="식별자",
            ),
            preserve_default=False,
        ),
    ]
