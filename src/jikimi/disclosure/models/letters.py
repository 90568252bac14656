"""The stored letter of a decision or a postponement (R22, R26), encrypted at rest (letter_sealing)."""

from __future__ import annotations

from django.db import models

from jikimi.disclosure import letter_sealing

# The columns that setting `letter_pdf` writes: save(update_fields=[*LETTER_FIELDS, ...]) after it.
LETTER_FIELDS = ("letter_sealed", "letter_key_id", "letter_wrapped_key")


class SealedLetter(models.Model):
    """A letter kept with the case: only its ciphertext is in the row, under a data key of its own
    wrapped by the master key (like the 청구서's attachments). `letter_pdf` reads and writes the PDF."""

    letter_sealed = models.BinaryField("통지서 (암호화한 PDF)", editable=False)
    letter_key_id = models.CharField("통지서 키 식별자", max_length=255, blank=True, editable=False)
    letter_wrapped_key = models.BinaryField("통지서 감싼 키", null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def letter_pdf(self) -> bytes:
        """The letter as sent, decrypted (reading it is audited by the actions that serve it)."""
        return letter_sealing.unseal(self.letter_sealed, self.letter_key_id, self.letter_wrapped_key)

    @letter_pdf.setter
    def letter_pdf(self, pdf: bytes) -> None:
        sealed = letter_sealing.seal(pdf)
        self.letter_sealed, self.letter_key_id, self.letter_wrapped_key = (
            sealed.ciphertext,
            sealed.key_id,
            sealed.wrapped_key,
        )
