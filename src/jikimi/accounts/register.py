"""The register's institutions, departments and device groups as accounts reaches them: through the
relations of its own models, never by importing jikimi.inventory.

Why: the apps form layers (DESIGN.md; the import-linter contract in pyproject.toml). inventory's pages
and queries ask jikimi.accounts.permissions who may see and change what, so accounts sits below
inventory and may not import it. Yet a user belongs to an institution and a department, and a role
grant is scoped to the register's institutions, departments and device groups (R36). Those tables are
named once, by Django's lazy references in accounts.models ("inventory.Institution") — Django's own way
for a model to point at a table of another installed app without importing its code — and the few
reads that need their managers follow those relations here. accounts thus depends on the register's
tables (its migrations say so), not on inventory's code: no action, query or check of inventory is
reachable from accounts.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from jikimi.accounts.models import RoleGrant


def _scope_model(field: str) -> type[models.Model]:
    model = RoleGrant._meta.get_field(field).related_model
    if not (isinstance(model, type) and issubclass(model, models.Model)):
        raise LookupError(f"RoleGrant.{field} does not point at a model")
    return model


def institutions() -> models.QuerySet[Any]:
    return _scope_model("institution")._default_manager.all()


def departments() -> models.QuerySet[Any]:
    return _scope_model("departments")._default_manager.all()


def device_groups() -> models.QuerySet[Any]:
    return _scope_model("device_groups")._default_manager.all()
