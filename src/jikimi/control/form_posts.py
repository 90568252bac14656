"""The one shape of form post the centre's pages share (the committee, the centre, the visitors, the
self-inspection): a bound form, one action on its data, a Korean message and a redirect when it is done;
the action's refusal put on the field it names, and the page again with the bound form when it is not.

The view still parses (binds the form) and authorizes (finds the institution) before it calls this; the
helper is only the part between the action and the response (DESIGN.md: parse, authorize, act, render)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest, HttpResponse

from jikimi.audit.context import Actor
from jikimi.control.actions.room import RoomError

T = TypeVar("T")


def add_room_error(form: Form, error: RoomError) -> None:
    """The action's refusal on the field it names when the form has that field, else on the whole form."""
    form.add_error(error.field if error.field in form.fields else None, str(error))


def form_problems(form: Form) -> str:
    """Every error of a form on one line, for the pages that answer a refused post with a message and a
    redirect rather than the form again (incidents, the inspection log)."""
    return "; ".join(" ".join(str(e) for e in errors) for errors in form.errors.values())


def post_form(
    request: HttpRequest,
    form: Form,
    action: Callable[[Actor, dict[str, Any]], T],
    *,
    message: str | Callable[[T], str],
    then: Callable[[T], HttpResponse],
    again: Callable[[Form], HttpResponse],
) -> HttpResponse:
    """`action(actor, cleaned_data)` when the form is valid; on success the Korean `message` (or the one
    made from the action's result) and `then(result)`, a redirect. An invalid form or a RoomError gives
    `again(form)`: the page rendered again with the bound form and its errors (status 400)."""
    if form.is_valid():
        try:
            result = action(Actor.from_request(request), form.cleaned_data)
        except RoomError as error:
            add_room_error(form, error)
        else:
            messages.success(request, message if isinstance(message, str) else message(result))
            return then(result)
    return again(form)
