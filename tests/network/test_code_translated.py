"""Every message the code puts in front of a person is marked for translation.

Templates have their own check (test_templates_translated); this one reads the Python source
of the apps. A string literal (plain, f-string, ``%``/``+``/``.format`` built) is reported, by
file and line, where it becomes something a person reads:

- a form or model field's ``label``, ``help_text`` or ``empty_label`` (model help text is the
  form's help text), and the labels of a literal ``choices=[...]`` list or of a
  ``TextChoices``/``IntegerChoices`` member or of a list assigned to a ``..._CHOICES``
  name (they show as the field's display value);
- a flash message: ``messages.success/info/warning/error/add_message(request, ...)``;
- ``ValidationError(...)``, which forms show beside the field;
- ``PermissionDenied(...)`` and ``HttpResponseForbidden(...)``: the 403 page shows the reason;
- the domain errors that views put on the page (``DOMAIN_ERRORS``).

A literal is marked when it is the argument of gettext, gettext_lazy, ngettext, pgettext (or
``_``). Names and attributes are not judged: what they hold is marked where it is written.
The translation functions must be imported under a name makemessages reads (``gettext_lazy
as _lazy`` would hide the text from the catalogue).
"""

from __future__ import annotations

import ast
from pathlib import Path

import coiin

SRC = Path(coiin.__file__).resolve().parent

# Parts of the source not read, each with its reason.
EXCLUDED = {
    "spc/": "pure computation, free of Django; its messages reach pages through the apps",
    "stats/": "pure computation, free of Django; its messages reach pages through the apps",
    "/migrations/": "frozen history; Django ignores label and help text changes there",
    "/management/": "command output for operators, who read the server's log in English",
    "measures/validation.py": "the data-entry checks, marked with the export headings",
    "reports/documents/xlsx.py": "export headings, marked with the other export headings",
    "api/disparities.py": "its measure names are marked with the export headings",
}
MARKERS = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext",
           "pgettext_lazy", "npgettext", "npgettext_lazy"}
MESSAGE_LEVELS = {"success", "info", "warning", "error", "debug", "add_message"}
OPTIONS = {"label", "help_text", "empty_label"}
SHOWN = {"ValidationError", "PermissionDenied", "HttpResponseForbidden"}
# Errors of the services that views catch and show as they are.
DOMAIN_ERRORS = {"ReportingError", "InvitationError", "ReportRequestError", "PublishError"}
# Errors whose first argument names the field, the message coming second.
FIELD_FIRST = {"ReportRequestError"}
CHOICES_BASES = {"TextChoices", "IntegerChoices", "Choices"}


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _literal(node: ast.expr | None) -> bool:
    """Readable text written here and not marked."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and any(c.isalpha() for c in node.value)
    if isinstance(node, ast.JoinedStr):
        return any(_literal(v) for v in node.values)
    if isinstance(node, ast.BinOp):
        return _literal(node.left) or (isinstance(node.op, ast.Add) and _literal(node.right))
    if isinstance(node, ast.Call) and _name(node.func) in {"format", "join"}:
        return isinstance(node.func, ast.Attribute) and _name(node.func) == "format" \
            and _literal(node.func.value)
    return False


def _choice_labels(node: ast.expr) -> list[ast.expr]:
    if not isinstance(node, (ast.List, ast.Tuple)):
        return []
    return [e.elts[1] for e in node.elts if isinstance(e, ast.Tuple) and len(e.elts) == 2]


def _parts(args: list[ast.expr]) -> list[ast.expr]:
    """The arguments, and the values of a dict or list argument ({field: message}, [messages])."""
    out: list[ast.expr] = []
    for a in args:
        out += [v for v in a.values if v is not None] if isinstance(a, ast.Dict) else \
            a.elts if isinstance(a, (ast.List, ast.Tuple)) else [a]
    return out


def unmarked(source: str) -> list[tuple[int, str]]:
    """(line, what) of each readable literal of ``source`` not marked for translation."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            found += [(node.lineno, f"imported as {a.asname}") for a in node.names
                      if a.asname and a.asname not in MARKERS]
        if isinstance(node, ast.ClassDef) and CHOICES_BASES & {_name(b) for b in node.bases}:
            for item in node.body:
                if isinstance(item, ast.Assign) and isinstance(item.value, ast.Tuple) \
                        and len(item.value.elts) >= 2 and _literal(item.value.elts[-1]):
                    found.append((item.lineno, "choice label"))
        if isinstance(node, ast.Assign) and any(
                _name(t).upper().endswith("CHOICES") for t in node.targets) \
                and any(_literal(x) for x in _choice_labels(node.value)):
            found.append((node.lineno, "choices"))
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        args = node.args
        if isinstance(node.func, ast.Attribute) and _name(node.func.value) == "messages" \
                and name in MESSAGE_LEVELS:
            shown = args[2] if name == "add_message" and len(args) > 2 else \
                args[1] if name != "add_message" and len(args) > 1 else None
            if _literal(shown):
                found.append((node.lineno, f"messages.{name}"))
        shown_args = args[1:] if name in FIELD_FIRST else args
        if name in SHOWN | DOMAIN_ERRORS and any(_literal(a) for a in _parts(shown_args)):
            found.append((node.lineno, name))
        for keyword in node.keywords:
            if keyword.arg in OPTIONS and _literal(keyword.value):
                found.append((keyword.value.lineno, keyword.arg))
            if keyword.arg == "choices" and any(_literal(x) for x in _choice_labels(keyword.value)):
                found.append((keyword.value.lineno, "choices"))
    return sorted(set(found))


def _sources() -> list[Path]:
    return [p for p in sorted(SRC.rglob("*.py"))
            if not any(part in "/" + p.relative_to(SRC).as_posix() for part in EXCLUDED)]


def test_the_code_has_no_unmarked_message():
    sources = _sources()
    assert len(sources) >= 100
    offenders = [f"{p.relative_to(SRC)}:{line}: {what}"
                 for p in sources for line, what in unmarked(p.read_text(encoding="utf-8"))]
    assert not offenders, "messages not marked for translation:\n" + "\n".join(offenders)


def test_the_check_finds_unmarked_messages_and_lets_marked_ones_pass():
    sample = '''
from django.utils.translation import gettext as _, gettext_lazy, gettext_lazy as _lazy
class F(forms.Form):
    name = forms.CharField(label="Name", help_text=gettext_lazy("Your name"))
    kind = forms.ChoiceField(choices=[("a", "Any"), ("b", _("Both"))])
    empty = forms.CharField(label="", help_text=HELP)
SIZE_CHOICES = [("s", "Small"), ("l", _("Large"))]
class Kind(models.TextChoices):
    ONE = "one", "One"
    TWO = "two", _("Two")
def view(request, team):
    messages.success(request, f"Saved {team}.")
    messages.info(request, _("Saved %(team)s.") % {"team": team})
    raise ValidationError("Bad value %s" % team)
    raise ValidationError({"name": "Too long."})
    raise PermissionDenied(_("Not yours."))
    raise ReportingError("Closed.")
'''
    assert unmarked(sample) == [(2, "imported as _lazy"), (4, "label"), (5, "choices"),
                                (7, "choices"), (9, "choice label"), (12, "messages.success"),
                                (14, "ValidationError"), (15, "ValidationError"),
                                (17, "ReportingError")]
    assert EXCLUDED and all(reason for reason in EXCLUDED.values())
