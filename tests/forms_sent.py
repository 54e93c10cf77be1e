"""A page's form as a browser would send it: its fields with the values the page gives them
(the chosen option, the checked boxes, the text typed so far), for the check that every form in
its error state reads in Spanish (tests/browser/test_accessibility.py)."""

from __future__ import annotations

from html.parser import HTMLParser


class _Forms(HTMLParser):
    """The POST forms of a page: [(their fields, the names they have)]."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, object]] = []
        self.form: dict[str, object] | None = None
        self.select: str | None = None
        self.first_option: str | None = None
        self.chosen = False
        self.option_value: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.form = {} if a.get("method", "").lower() == "post" else None
            if self.form is not None:
                self.forms.append(self.form)
        if self.form is None:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in {"submit", "button", "reset", "image"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            self.form[name] = "" if kind == "file" else a.get(
                "value", "on" if kind == "checkbox" else "")
        elif tag == "textarea" and name:
            self.textarea = name
            self.form[name] = ""
        elif tag == "select" and name:
            self.select, self.first_option, self.chosen = name, None, False
        elif tag == "option" and self.select:
            self.option_value = a.get("value")
            if self.first_option is None and self.option_value is not None:
                self.first_option = self.option_value
            if "selected" in a and self.option_value is not None:
                self.form[self.select] = self.option_value
                self.chosen = True

    def handle_data(self, data: str) -> None:
        if self.form is not None and self.textarea:
            self.form[self.textarea] = str(self.form[self.textarea]) + data
        elif self.select and self.option_value is None and self.first_option is None:
            self.first_option = data.strip()

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.form = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "option":
            self.option_value = None
        elif tag == "select" and self.select:
            if not self.chosen and self.form is not None and self.first_option is not None:
                self.form[self.select] = self.first_option
            self.select = None


def form_data(html: str, having: str = "") -> dict[str, object]:
    """The fields of the page's POST form that has a field whose name contains ``having``
    (the first POST form with a field of its own if none is given), as a browser sends them."""
    parser = _Forms()
    parser.feed(html[html.find("<main"):] if "<main" in html else html)  # not the header's
    parser.close()
    for form in parser.forms:
        names = [n for n in form if n != "csrfmiddlewaretoken"]
        if names and (not having or any(having in n for n in names)):
            return dict(form)
    raise AssertionError(f"no POST form with a field {having!r}")
