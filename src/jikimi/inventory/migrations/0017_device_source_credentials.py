"""Camera credentials leave the source URL and are stored sealed (안전성 확보조치 기준 제7조, R36/R42).

rtsp://admin:pw@10.0.0.5/1 becomes source_url rtsp://10.0.0.5/1 and source_credentials, the sealed
"admin:pw" (jikimi.lib.credentials, under the master key). Backwards, the URL gets them back in clear.
"""

from django.db import migrations, models

from jikimi.lib import credentials

PURPOSE = "inventory.Device.source_credentials"  # = jikimi.inventory.models.CREDENTIALS_PURPOSE


def seal_existing(apps, schema_editor):
    Device = apps.get_model("inventory", "Device")
    for device in Device.objects.filter(source_url__contains="@").only("pk", "source_url"):
        bare, userinfo = credentials.split_credentials(device.source_url)
        if userinfo:
            Device.objects.filter(pk=device.pk).update(
                source_url=bare, source_credentials=credentials.seal(userinfo, purpose=PURPOSE)
            )


def unseal_existing(apps, schema_editor):
    Device = apps.get_model("inventory", "Device")
    for device in Device.objects.exclude(source_credentials="").only(
        "pk", "source_url", "source_credentials"
    ):
        userinfo = credentials.unseal(device.source_credentials, purpose=PURPOSE)
        Device.objects.filter(pk=device.pk).update(
            source_url=credentials.with_credentials(device.source_url, userinfo), source_credentials=""
        )


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0016_institution_destruction_grace_days"),
    ]

    operations = [
        migrations.AddField(
            model_name="device",
            name="source_credentials",
            field=models.TextField(blank=True, editable=False, verbose_name="영상 주소 인증정보 (암호화)"),
        ),
        migrations.RunPython(seal_existing, unseal_existing),
    ]
