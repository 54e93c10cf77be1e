"""The names the admin gives rows (each model's ``__str__``) read in the reader's language:
backbone staff use the admin in English or Spanish. The words are marked for translation
and filled at call time; the values (names, codes, dates, ids) stay as they are."""

from __future__ import annotations

import ast
import inspect
import re
import textwrap

from django.apps import apps
from django.utils import translation

from coiin.community.models import ModerationAction, Report
from coiin.improvement.event_models import Attendance
from coiin.network.models import Invitation

# Words a name may keep in every language: terms the Spanish catalogue keeps too.
KEPT = {"PDSA", "UTC"}
MARKERS = {"gettext", "ngettext", "pgettext", "_"}


def _unmarked_words(function) -> list[str]:
    """English words in the string literals of ``function`` outside a translation call."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    marked: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in MARKERS:
            marked |= {id(n) for n in ast.walk(node)}
    words = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and id(node) not in marked and not _is_format_spec(node, tree):
            words += [w for w in re.findall(r"[A-Za-z]{2,}", node.value) if w not in KEPT]
    return words


def _is_format_spec(node: ast.Constant, tree: ast.AST) -> bool:
    """``%Y-%m-%d`` in ``f"{day:%Y-%m-%d}"``, or a dict key naming a placeholder."""
    for parent in ast.walk(tree):
        if isinstance(parent, ast.FormattedValue) and parent.format_spec is not None \
                and node in ast.walk(parent.format_spec):
            return True
        if isinstance(parent, ast.Dict) and node in parent.keys:
            return True
    return False


def test_no_model_names_its_rows_with_unmarked_english_words():
    offenders = []
    for model in apps.get_models():
        own = vars(model).get("__str__")
        # (the history's rows are named by django-simple-history, not here)
        if own is None or not getattr(own, "__module__", "").startswith("coiin."):
            continue
        words = _unmarked_words(vars(model)["__str__"])
        if words:
            offenders.append(f"{model.__module__}.{model.__name__}: {words}")
    assert not offenders, "\n".join(offenders)


def test_the_check_finds_an_unmarked_word():
    class Sample:
        def __str__(self) -> str:
            return f"Profile of {self}"

    assert _unmarked_words(Sample.__str__) == ["Profile", "of"]


def test_rows_are_named_in_spanish():
    invitation = Invitation(email="ana@example.org")
    vars(invitation)["_state"].fields_cache["team"] = "Georgia · Safe Sleep"
    report = Report(post_id=7, reason="Contains a patient's name")
    attended = Attendance(attended=False)
    vars(attended)["_state"].fields_cache.update(team="Georgia · Safe Sleep", event="Webinar")
    action = ModerationAction(action="hide", actor_id=3, reason="Off topic")
    with translation.override("es"):
        assert str(invitation) == "Invitación de ana@example.org a Georgia · Safe Sleep"
        assert str(report) == "Denuncia de la publicación 7: Contains a patient's name"
        assert str(attended) == "Georgia · Safe Sleep en Webinar: no asistió"
        assert str(action) == "Oculto por 3: Off topic"
    with translation.override("en"):
        assert str(invitation) == "Invitation for ana@example.org to Georgia · Safe Sleep"
        assert str(attended) == "Georgia · Safe Sleep at Webinar: did not attend"
