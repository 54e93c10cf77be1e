"""Every message the code puts in front of a person is marked for translation.

Templates have their own check (test_templates_translated); this one reads the Python source
of the apps. A string literal (plain, f-string, ``%``/``+``/``.format`` built) is reported, by
file and line, where it becomes something a person reads:

- a form or model field's ``label``, ``help_text`` or ``empty_label`` (model help text is the
  form's help text), and the labels of a literal ``choices=[...]`` list or of a
  ``TextChoices``/``IntegerChoices`` member or of a list assigned to a ``..._CHOICES``
  name (they show as the field's display value);
- a ModelForm's ``Meta.labels``/``help_texts`` and ``error_messages`` written as a dict;
- a flash message: ``messages.success/info/warning/error/add_message(request, ...)``;
- ``ValidationError(...)``, which forms show beside the field;
- ``PermissionDenied(...)`` and ``HttpResponseForbidden(...)``: the 403 page shows the reason;
- the domain errors that views put on the page (``DOMAIN_ERRORS``);
- the message of an import's row error (``RowError(row, column, message)``; the column is
  the file's own heading and stays as it is);
- the names of things: a model's ``verbose_name``/``verbose_name_plural``, a model field's
  verbose name (its first argument, or the keyword) and an app's ``verbose_name``.

A literal is marked when it is the argument of gettext, gettext_lazy, ngettext, pgettext (or
``_``). Names and attributes are not judged: what they hold is marked where it is written.
The translation functions must be imported under a name makemessages reads (``gettext_lazy
as _lazy`` would hide the text from the catalogue).

A second check builds every form class as Django does and asks each visible field for a
translated label and help text: a label Django makes from the field's name, or from a model
field's plain verbose name, stays English otherwise.

The data-entry checks (``measures.validation``) stay free of Django: their messages are
translated through the templates of ``measures.messages``, which a test keeps in step.
"""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import pkgutil
from pathlib import Path

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

import coiin

SRC = Path(coiin.__file__).resolve().parent

# Parts of the source not read, each with its reason.
EXCLUDED = {
    "spc/": "pure computation, free of Django; its messages reach pages through the apps",
    "stats/": "pure computation, free of Django; its messages reach pages through the apps",
    "/migrations/": "frozen history; Django ignores label and help text changes there",
    # (a command with a --language option speaks it in all it prints: vitals, tested in
    # tests/vitals/test_command_spanish.py)
    "/management/": "command output for operators, who read the server's log in English",
    "measures/validation.py": "the data-entry checks, marked with the export headings",
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
# A ModelForm's Meta texts, and a field's own error messages.
TEXT_DICTS = {"labels", "help_texts", "default_error_messages", "error_messages"}
CHOICES_BASES = {"TextChoices", "IntegerChoices", "Choices"}
# The names of things (a model's, in its Meta; a field's, its first argument or keyword; an
# app's): the admin shows them, and forms' errors ("Measure with this code already exists").
NAMES = {"verbose_name", "verbose_name_plural"}
# Fields whose first argument is the model they point to, not a name.
RELATIONS = {"ForeignKey", "OneToOneField", "ManyToManyField", "ParentalKey"}


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
        if isinstance(node, ast.Assign) and any(
                _name(t) in NAMES for t in node.targets) and _literal(node.value):
            found.append((node.lineno, _name(node.targets[0])))
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict) and any(
                _name(t) in TEXT_DICTS for t in node.targets) \
                and any(_literal(v) for v in node.value.values):
            found.append((node.lineno, _name(node.targets[0])))
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
        if name == "RowError" and len(args) > 2 and _literal(args[2]):
            found.append((node.lineno, name))
        shown_args = args[1:] if name in FIELD_FIRST else args
        if name in SHOWN | DOMAIN_ERRORS and any(_literal(a) for a in _parts(shown_args)):
            found.append((node.lineno, name))
        if name.endswith("Field") and name not in RELATIONS and args and _literal(args[0]):
            found.append((node.lineno, "verbose_name"))
        for keyword in node.keywords:
            if keyword.arg in NAMES and _literal(keyword.value):
                found.append((keyword.value.lineno, keyword.arg))
            if keyword.arg == "error_messages" and isinstance(keyword.value, ast.Dict) \
                    and any(_literal(v) for v in keyword.value.values):
                found.append((keyword.value.lineno, "error_messages"))
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
    offenders = [f"{path}:{line}: {what}" for p in sources
                 for path in [p.relative_to(SRC).as_posix()]
                 for line, what in unmarked(p.read_text(encoding="utf-8"))]
    assert not offenders, "messages not marked for translation:\n" + "\n".join(offenders)


def test_the_check_finds_unmarked_messages_and_lets_marked_ones_pass():
    sample = '''
from django.utils.translation import gettext as _, gettext_lazy, gettext_lazy as _lazy
class F(forms.Form):
    name = forms.CharField(label="Name", help_text=gettext_lazy("Your name"))
    kind = forms.ChoiceField(choices=[("a", "Any"), ("b", _("Both"))])
    empty = forms.CharField(label="", help_text=HELP)
SIZE_CHOICES = [("s", "Small"), ("l", _("Large"))]; labels = {"size": "Size"}
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
    errors.append(RowError(3, "period", "is missing")); RowError(1, "file", _("is empty"))
class M(models.Model):
    sent = models.BooleanField("Sent", default=False)
    seen = models.BooleanField(_("Seen"))
    team = models.ForeignKey("Team", on_delete=models.CASCADE, verbose_name="team")
    class Meta:
        verbose_name = "thing"
        verbose_name_plural = pgettext_lazy("model", "things")
'''
    assert unmarked(sample) == [(2, "imported as _lazy"), (4, "label"), (5, "choices"),
                                (7, "choices"), (7, "labels"), (9, "choice label"),
                                (12, "messages.success"),
                                (14, "ValidationError"), (15, "ValidationError"),
                                (17, "ReportingError"), (18, "RowError"),
                                (20, "verbose_name"), (22, "verbose_name"),
                                (24, "verbose_name")]
    assert EXCLUDED and all(reason for reason in EXCLUDED.values())


# -- the forms as Django builds them ----------------------------------------------------

def _form_classes() -> list[type[forms.BaseForm]]:
    """Every form class of the apps (the modules that import Django's forms)."""
    for module in pkgutil.walk_packages(coiin.__path__, "coiin."):
        path = SRC.parent / (module.name.replace(".", "/") + ".py")
        if module.ispkg or not path.exists() or any(
                part in "/" + path.relative_to(SRC).as_posix() for part in EXCLUDED):
            continue
        if "from django import forms" in path.read_text(encoding="utf-8"):
            importlib.import_module(module.name)
    found, todo = [], [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        found.append(cls)
    return [c for c in found if c.__module__.startswith("coiin.")]


def untranslated_fields(form_class: type[forms.BaseForm]) -> list[str]:
    """The fields whose label or help text would show in English whatever the language: a
    label left to Django (made from the field's name, or a model field's plain verbose
    name), or a plain string."""
    out = []
    for name, field in getattr(form_class, "base_fields", {}).items():
        if field.widget.is_hidden:
            continue
        for what, text in (("label", field.label), ("help_text", field.help_text)):
            plain = isinstance(text, str) and any(c.isalpha() for c in text)
            if (what == "label" and text is None) or (plain and not isinstance(text, Promise)):
                out.append(f"{name} {what}")
    return out


def test_every_form_field_has_a_translated_label_and_help_text():
    classes = _form_classes()
    assert len(classes) >= 40
    offenders = [f"{c.__module__}.{c.__name__}: {field}"
                 for c in classes for field in untranslated_fields(c)]
    assert not offenders, "form text not marked for translation:\n" + "\n".join(offenders)


def test_the_form_check_finds_labels_left_to_django_or_plain():
    class Sample(forms.Form):
        named = forms.CharField()  # label made from the name
        plain = forms.CharField(label="Plain")
        helped = forms.CharField(label=gettext_lazy("Marked"), help_text="Plain help")
        marked = forms.CharField(label=gettext_lazy("Marked"), help_text=gettext_lazy("Help"))
        hidden = forms.CharField(widget=forms.HiddenInput)

    assert untranslated_fields(Sample) == ["named label", "plain label", "helped help_text"]


# -- the marked text reaches a Spanish page -----------------------------------------------

@pytest.mark.django_db
def test_a_spanish_organiser_gets_the_event_form_its_errors_and_its_message_in_spanish(
        client, faculty, team):
    from coiin.community.events.models import EventDetail

    faculty.language = "es"
    faculty.save()
    client.force_login(faculty)
    new = reverse("community:event_new")
    form = client.get(new, HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    for label in (">Título</label>", ">Empieza a las</label>", ">Enlace para unirse</label>",
                  ">Descripción</label>", "Las horas de arriba están en esta zona"):
        assert label in form
    assert "Join link" not in form and ">Description<" not in form

    day = dt.date(timezone.localdate().year + 1, 7, 9).isoformat()
    event = {"title": "Seminario de sueño seguro", "format": "webinar",
             "network": team.learning_network.pk, "audience": "network", "starts_on": day,
             "starts_time": "14:00", "ends_time": "15:30", "ends_on": "",
             "time_zone": "America/Puerto_Rico", "location": "",
             "join_url": "http://example.org/zoom/42", "description": ""}
    refused = client.post(new, event).content.decode()  # an error of the form, on its field
    assert "El enlace para unirse debe empezar por https://" in refused
    longer = {**event, "join_url": "https://example.org/zoom/42",
              "ends_on": (dt.date.fromisoformat(day) + dt.timedelta(days=20)).isoformat()}
    refused = client.post(new, longer).content.decode()  # an error of the service
    assert "Un evento dura como máximo 7 días" in refused
    assert not EventDetail.objects.exists()

    saved = client.post(new, {**event, "join_url": "https://example.org/zoom/42"},
                        follow=True).content.decode()
    assert "está en el calendario" in saved  # the flash message


@pytest.mark.django_db
def test_a_spanish_user_gets_the_token_form_and_its_message_in_spanish(client, lead):
    from coiin.api import tokens

    lead.language = "es"
    lead.save()
    client.force_login(lead)
    page = client.get(reverse("api_tokens")).content.decode()
    assert "Vence después de" in page and "90 días" in page
    assert "Expires after" not in page
    record, _token = tokens.create_token(user=lead, name="Carga nocturna")
    shown = client.post(reverse("api_token_revoke", args=[record.pk]), follow=True)
    text = shown.content.decode()
    assert "Ficha «Carga nocturna» revocada; ya no funciona." in text
    assert "Vence después de" in text  # the same page, form and message together
