"""The register file: one institution's whole register as one human-editable YAML file.

    reading    YAML → nodes with lines → schema (pydantic, extra="forbid") → ParsedRegister
    importing  references, Django field validation and the law's checks; then the write
    exporting  the database → the same format, deterministically
    errors     RegisterFileError / FileProblem: "FILE:LINE: path (title): message"

The import itself, in one transaction with its audit entry, is `jikimi.inventory.actions.import_register`.
"""

from jikimi.inventory.register_file.errors import FileProblem, RegisterFileError
from jikimi.inventory.register_file.exporting import export_register, find_institution
from jikimi.inventory.register_file.reading import ParsedRegister, parse_register

__all__ = [
    "FileProblem",
    "ParsedRegister",
    "RegisterFileError",
    "export_register",
    "find_institution",
    "parse_register",
]
