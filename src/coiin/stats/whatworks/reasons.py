"""Why an estimate has its verdict, as codes with their values, and their English words.

The estimator knows nothing of languages: each ``Reason`` is a code and the numbers it
speaks of, and ``english`` words a list of them (the ``Estimate.reason`` the command line
prints). A caller that speaks another language words the same codes itself (the improvement
app's ``effect_words``). Values are plain numbers, so a stored estimate keeps its reasons
as facts and is worded when read."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Reason:
    """One reason: ``code`` (one of ``CODES``) with its values (numbers only)."""

    code: str
    values: Mapping[str, Any] = field(default_factory=dict)


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _few_adopters(v: Mapping[str, Any]) -> str:
    said = [f"{v['adopters']} adopting team{_s(v['adopters'])} can be compared; "
            f"{v['need']} are needed"]
    if v.get("no_baseline"):
        said.append(f"{v['no_baseline']} adopted with fewer than {v['min_pre']} periods "
                    f"reported before the {v['skip']} periods just before adoption")
    if v.get("late"):
        said.append(f"{v['late']} have no period after adoption with comparison teams")
    if v.get("before"):
        said.append(f"{v['before']} adopted before the first period of data")
    return "Not enough adopting teams: " + "; ".join(said) + "."


ENGLISH = {
    "few_comparison": lambda v: (
        f"Not enough comparison teams: after adoption, at most {v['most']} "
        f"team{_s(v['most'])} had not (yet) adopted; {v['need']} are needed."),
    "few_comparison_at_adoption": lambda v: (
        f"Not enough comparison teams when teams adopted: {v['with_baseline']} adopting "
        f"teams have a baseline, but only {v['adopters']} adopted while at least "
        f"{v['need']} other teams that had not (yet) adopted were reporting; "
        f"{v['need']} such adopting teams are needed."),
    "few_adopters": _few_adopters,
    "no_direction": lambda v: "The measure has no preferred direction.",
    "no_pretrend_test": lambda v: (
        "Too few periods before adoption to test whether adopters were already moving "
        f"differently from comparison teams: {v['spans_compared']} of the {v['spans']} "
        f"{v['span']}-period spans from {v['first']} to {v['last']} periods before "
        f"adoption could be compared; 2 are needed."),
    "pretrend": lambda v: (
        "Before adopting, adopters' trend already differed from comparison teams' "
        f"(joint test of the event-study leads p = {v['p']:.3g}), so the change "
        "cannot be attributed to the idea."),
    "estimate": lambda v: (
        f"Adopting teams changed by {v['estimate']:+.4g} against comparison teams "
        f"({v['level']:.0%} CI {v['ci_low']:.4g} to {v['ci_high']:.4g}; {v['adopters']} "
        f"adopting, {v['comparison']} comparison teams)."),
    "interval_good": lambda v: "The interval is wholly on the good side.",
    "interval_bad": lambda v: "The interval is wholly on the bad side.",
    "interval_includes_zero": lambda v: "The interval includes no change.",
    "transition": lambda v: (
        f"Caution: adopters moved against comparison teams in the {v['skip']} periods "
        f"just before adopting (p = {v['p']:.3g}); those periods are left out of the "
        "baseline."),
    "many_comparisons": lambda v: (
        f"Not counted as evidence: {v['tests']} estimates are shown together, and after "
        f"the Benjamini–Hochberg adjustment this one's q-value is {v['q_value']:.3f}, "
        f"above {v['q']:g}."),
}
CODES = frozenset(ENGLISH)


def english(reasons: Iterable[Reason]) -> str:
    """The reasons in English, one sentence (or more) each."""
    return " ".join(ENGLISH[r.code](r.values) for r in reasons)
