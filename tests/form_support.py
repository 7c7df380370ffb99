"""A page's form as a browser would send it back: every input, select and textarea of the
first form with ``method="post"`` (or the one whose action is given), by name."""

from __future__ import annotations

from html.parser import HTMLParser


class _Form(HTMLParser):
    def __init__(self, action: str | None) -> None:
        super().__init__()
        self.action = action
        self.inside = False
        self.done = False
        self.values: dict[str, str] = {}
        self.labels: dict[str, str] = {}  # name → aria-label
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and not self.done and a.get("method") == "post":
            self.inside = self.action is None or a.get("action") == self.action
        if not self.inside:
            return
        name = a.get("name", "")
        if name and "aria-label" in a:
            self.labels[name] = a["aria-label"]
        if tag == "input" and name and a.get("type") not in ("submit", "button"):
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.values[name] = a.get("value") or "on"
            else:
                self.values[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select, self._first_option = name, None
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = a.get("value", "")
            if "selected" in a:
                self.values[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside, self.done = False, True
        elif tag == "select" and self._select:
            self.values.setdefault(self._select, self._first_option or "")
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            # Django renders a textarea's value after a newline, which browsers drop.
            value = self.values[self._textarea] + data
            self.values[self._textarea] = value[1:] if value.startswith("\n") else value


def form_values(html: str, action: str | None = None) -> dict[str, str]:
    parser = _Form(action)
    parser.feed(html)
    return parser.values


def form_labels(html: str, action: str | None = None) -> dict[str, str]:
    parser = _Form(action)
    parser.feed(html)
    return parser.labels
