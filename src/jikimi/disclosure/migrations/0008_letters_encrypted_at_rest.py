"""Letters encrypted at rest (R22, R26, R42): the plain PDF column becomes the ciphertext column, each
existing letter is sealed under a data key of its own wrapped by the master key (letter_sealing)."""

from typing import Any

from django.db import migrations, models

from jikimi.disclosure import letter_sealing

LETTER_MODELS = ("Decision", "Postponement")


def seal_existing(apps: Any, schema_editor: Any) -> None:
    for name in LETTER_MODELS:
        model = apps.get_model("disclosure", name)
        for row in model.objects.filter(letter_wrapped_key__isnull=True).iterator():
            sealed = letter_sealing.seal(bytes(row.letter_sealed))
            model.objects.filter(pk=row.pk).update(
                letter_sealed=sealed.ciphertext,
                letter_key_id=sealed.key_id,
                letter_wrapped_key=sealed.wrapped_key,
            )


def unseal_existing(apps: Any, schema_editor: Any) -> None:
    for name in LETTER_MODELS:
        model = apps.get_model("disclosure", name)
        for row in model.objects.filter(letter_wrapped_key__isnull=False).iterator():
            pdf = letter_sealing.unseal(row.letter_sealed, row.letter_key_id, row.letter_wrapped_key)
            model.objects.filter(pk=row.pk).update(
                letter_sealed=pdf, letter_key_id="", letter_wrapped_key=None
            )


def _fields(model_name: str) -> list[Any]:
    return [
        migrations.RenameField(model_name=model_name, old_name="letter_pdf", new_name="letter_sealed"),
        migrations.AlterField(
            model_name=model_name,
            name="letter_sealed",
            field=models.BinaryField(editable=False, verbose_name="통지서 (암호화한 PDF)"),
        ),
        migrations.AddField(
            model_name=model_name,
            name="letter_key_id",
            field=models.CharField(
                blank=True, editable=False, max_length=255, verbose_name="통지서 키 식별자"
            ),
        ),
        migrations.AddField(
            model_name=model_name,
            name="letter_wrapped_key",
            field=models.BinaryField(blank=True, editable=False, null=True, verbose_name="통지서 감싼 키"),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0007_provisionfootage_requestingbody_and_more"),
    ]

    operations = [
        *_fields("decision"),
        *_fields("postponement"),
        migrations.RunPython(seal_existing, unseal_existing),
    ]
