"""Reading a page's forms as a browser would: the values a form shows (typed, chosen, checked) and the
errors written at its fields — with the standard library's HTML parser, no browser needed."""

from __future__ import annotations

from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.inside = False
        self.values: dict[str, list[str]] = {}
        self.errors: list[str] = []
        self._textarea: str | None = None
        self._select: str | None = None
        self._option: str | None = None
        self._error = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("action") == self.action:
            self.inside = True
        if not self.inside:
            return
        name = a.get("name", "")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.values.setdefault(name, []).append(a.get("value", "on"))
            else:
                self.values.setdefault(name, []).append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = name
            self.values.setdefault(name, []).append("")
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.values.setdefault(self._select, []).append(a.get("value", ""))
        elif "jk-errors" in a.get("class", "").split():
            self._error = True
            self.errors.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "p":
            self._error = False

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea][-1] += data
        if self._error:
            self.errors[-1] += data


def form_on(page: str, action: str) -> tuple[dict[str, list[str]], list[str]]:
    """(the values the form posting to `action` shows, by field name; the errors at its fields)."""
    reader = _Forms(action)
    reader.feed(page)
    return reader.values, [e.strip() for e in reader.errors]
