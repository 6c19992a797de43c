"""The fields a browser posts from a page's form, read from its HTML: for the load test's
fiche saves (benchmarks/locustfile.py) and the tests that post a page back as it came."""

from __future__ import annotations

from html.parser import HTMLParser


class FormFields(HTMLParser):
    """The fields of the form that holds the ``save`` button, as the browser would post
    them unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self.saving: int | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append([])
        if not self.forms:
            return
        fields = self.forms[-1]
        name = a.get("name")
        if tag == "button" and name == "save":
            self.saving = len(self.forms) - 1
        elif tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            fields.append((name, a.get("value", "on" if a.get("type") == "checkbox" else "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            fields.append((self._select, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = name
            fields.append((name, ""))

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            name, text = self.forms[-1][-1]
            self.forms[-1][-1] = (name, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def posted(page: str) -> dict[str, str]:
    """What the browser sends when the page's ``save`` button is pressed, unchanged."""
    parser = FormFields()
    parser.feed(page)
    if parser.saving is None:
        raise ValueError("the page has no form with a save button")
    return dict([*parser.forms[parser.saving], ("save", "")])
