"""The register file as the officer last imported it: its comments and key order, for the export.

The register's facts live in the other models; this is only the text they came from, so that an
export writes the officer's own file back (their notes, their order) with the register's current
values (docs/register-format.md, "Export"). It is not a register fact: nothing is read from it but
the layout.
"""

from __future__ import annotations

from django.db import models

from jikimi.inventory.models.organisation import Institution


class RegisterSource(models.Model):
    """The text of the last register file imported for an institution."""

    institution = models.OneToOneField(Institution, on_delete=models.CASCADE, related_name="register_source")
    file = models.CharField("파일 이름", max_length=500, blank=True)
    text = models.TextField("파일 내용")
    sha256 = models.CharField("SHA-256", max_length=64)
    imported_at = models.DateTimeField("가져온 때", auto_now=True)

    class Meta:
        verbose_name = "가져온 대장 파일"
        verbose_name_plural = "가져온 대장 파일"

    def __str__(self) -> str:
        return f"{self.institution}: {self.file}"
