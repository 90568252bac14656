# A device's free-text location becomes its group's Location of that name. A name that matches none
# stops the migration, naming each such device: guessing would give its footage another location's
# retention (법 제21조①, R16). Fix the device's location or the register, then migrate again.

from django.db import migrations


class UnknownDeviceLocations(RuntimeError):
    pass


def locations_by_name(apps, schema_editor):  # type: ignore[no-untyped-def]
    Device = apps.get_model("inventory", "Device")
    Location = apps.get_model("inventory", "Location")
    alias = schema_editor.connection.alias
    unknown = []
    for device in Device.objects.using(alias).exclude(location="").select_related("device_group"):
        matches = list(
            Location.objects.using(alias).filter(device_group_id=device.device_group_id, name=device.location)
        )
        if len(matches) != 1:
            known = ", ".join(
                Location.objects.using(alias)
                .filter(device_group_id=device.device_group_id)
                .values_list("name", flat=True)
            )
            why = "같은 이름의 위치가 여럿" if matches else "그런 이름의 위치가 없음"
            unknown.append(
                f"기기 {device.pk}번 '{device.name}' (기기 묶음 '{device.device_group.name}'): "
                f"위치 '{device.location}' — {why} (묶음의 위치: {known or '없음'})"
            )
            continue
        device.location_ref = matches[0]
        device.save(update_fields=["location_ref"])
    if unknown:
        raise UnknownDeviceLocations(
            "기기의 설치 위치를 대장의 위치로 옮기지 못했습니다:\n" + "\n".join(unknown)
        )


def names_back(apps, schema_editor):  # type: ignore[no-untyped-def]
    Device = apps.get_model("inventory", "Device")
    alias = schema_editor.connection.alias
    for device in Device.objects.using(alias).exclude(location_ref=None).select_related("location_ref"):
        device.location = device.location_ref.name
        device.save(update_fields=["location"])


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0006_location_key_unique_device_location_ref"),
    ]

    operations = [
        migrations.RunPython(locations_by_name, names_back),
    ]
