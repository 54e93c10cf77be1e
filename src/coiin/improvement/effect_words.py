"""A change idea's estimated effect in the reader's language: the sentence, the cautions,
whether it lasted, and the estimator's reasons.

``coiin.stats.whatworks`` gives its reasons as codes with their values (``Reason``); each
code is worded here. An estimate stored before the reasons had codes has only its English
words: they are shown to an English reader, and left out for others (the verdict and the
sentence still say what it means)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext

from coiin.network.templatetags.translated import text_and_language
from coiin.stats import whatworks as ww

if TYPE_CHECKING:
    from .effects import Effect

CO_ADOPTION_PERIODS = 3


def _reason(r: ww.Reason) -> str:
    v, code = r.values, r.code
    if code == "few_comparison":
        return ngettext(
            "Not enough comparison teams: after adoption, at most %(most)s team had not "
            "(yet) adopted; %(need)s are needed.",
            "Not enough comparison teams: after adoption, at most %(most)s teams had not "
            "(yet) adopted; %(need)s are needed.", v["most"]) % v
    if code == "few_comparison_at_adoption":
        return gettext(
            "Not enough comparison teams when teams adopted: %(with_baseline)s adopting teams "
            "have a baseline, but only %(adopters)s adopted while at least %(need)s other "
            "teams that had not (yet) adopted were reporting; %(need)s such adopting teams "
            "are needed.") % v
    if code == "few_adopters":
        said = [ngettext("%(adopters)s adopting team can be compared; %(need)s are needed",
                         "%(adopters)s adopting teams can be compared; %(need)s are needed",
                         v["adopters"]) % v]
        if v.get("no_baseline"):
            said.append(gettext("%(no_baseline)s adopted with fewer than %(min_pre)s periods "
                                "reported before the %(skip)s periods just before "
                                "adoption") % v)
        if v.get("late"):
            said.append(gettext("%(late)s have no period after adoption with comparison "
                                "teams") % v)
        if v.get("before"):
            said.append(gettext("%(before)s adopted before the first period of data") % v)
        return gettext("Not enough adopting teams: %(said)s.") % {"said": "; ".join(said)}
    if code == "no_direction":
        return gettext("The measure has no preferred direction.")
    if code == "no_pretrend_test":
        return gettext(
            "Too few periods before adoption to test whether adopters were already moving "
            "differently from comparison teams: %(spans_compared)s of the %(spans)s "
            "%(span)s-period spans from %(first)s to %(last)s periods before adoption could "
            "be compared; 2 are needed.") % v
    if code == "pretrend":
        return gettext(
            "Before adopting, adopters' trend already differed from comparison teams' (joint "
            "test of the event-study leads p = %(p)s), so the change cannot be attributed to "
            "the idea.") % {"p": f"{v['p']:.3g}"}
    if code == "estimate":
        return gettext(
            "Adopting teams changed by %(estimate)s against comparison teams (%(level)s CI "
            "%(low)s to %(high)s; %(adopters)s adopting, %(comparison)s comparison teams).") % {
            "estimate": f"{v['estimate']:+.4g}", "level": f"{v['level']:.0%}",
            "low": f"{v['ci_low']:.4g}", "high": f"{v['ci_high']:.4g}",
            "adopters": v["adopters"], "comparison": v["comparison"]}
    if code == "interval_good":
        return gettext("The interval is wholly on the good side.")
    if code == "interval_bad":
        return gettext("The interval is wholly on the bad side.")
    if code == "interval_includes_zero":
        return gettext("The interval includes no change.")
    if code == "transition":
        return gettext(
            "Caution: adopters moved against comparison teams in the %(skip)s periods just "
            "before adopting (p = %(p)s); those periods are left out of the baseline.") % {
            "skip": v["skip"], "p": f"{v['p']:.3g}"}
    if code == "many_comparisons":
        return gettext(
            "Not counted as evidence: %(tests)s estimates are shown together, and after the "
            "Benjamini–Hochberg adjustment this one's q-value is %(q_value)s, above "
            "%(q)s.") % {"tests": v["tests"], "q_value": f"{v['q_value']:.3f}",
                         "q": f"{v['q']:g}"}
    return ww.english([r])  # a code this app does not know yet: the estimator's words


def reasons(est: ww.Estimate) -> str:
    """The estimate's reasons in the reader's language."""
    if not est.reasons:  # stored before the reasons had codes: English words only
        return est.reason if (get_language() or "en").startswith("en") else ""
    return " ".join(_reason(r) for r in est.reasons)


def units(e: Effect) -> str:
    m = e.measure
    if m.is_ratio and m.multiplier == 100:
        return gettext("percentage points")
    if m.unit:
        return m.unit
    return gettext("per %(n)s") % {"n": f"{m.multiplier:,}"} if m.is_ratio else ""


def interval(e: Effect) -> str:
    est = e.estimate
    if est.ci_low is None:
        return "–"
    return gettext("%(low)s to %(high)s") % {"low": e.shown(est.ci_low),
                                             "high": e.shown(est.ci_high)}


def _lower(name: str) -> str:
    return name[:1].lower() + name[1:]


def sentence_html(e: Effect) -> SafeString:
    """The sentence for a page: the idea's title and the measure's name, when shown in
    another language for want of a translation, are marked with that language."""
    parts = {}
    for key, obj, field in (("\x00", e.idea, "title"), ("\x01", e.measure, "name")):
        text, language = text_and_language(obj, field)
        text = text if field == "title" else _lower(text)
        parts[key] = (format_html('<span lang="{}">{}</span>', language, text) if language
                      else escape(text))
    html = escape(sentence(e, idea="\x00", measure="\x01"))
    for key, shown in parts.items():
        html = html.replace(key, shown)
    return mark_safe(html)  # noqa: S308 -- every part is escaped above


def sentence(e: Effect, *, idea: str | None = None, measure: str | None = None) -> str:
    est = e.estimate
    idea = e.idea.title if idea is None else idea
    m = _lower(e.measure.name) if measure is None else measure
    if est.verdict == ww.Verdict.NOT_ENOUGH_DATA or est.estimate is None:
        return " ".join(filter(None, [gettext(
            "%(idea)s: not enough data to estimate its effect on %(measure)s.") % {
            "idea": idea, "measure": m}, reasons(est)]))
    if est.verdict == ww.Verdict.PRETREND:
        return gettext(
            "Teams that adopted %(idea)s were already moving differently on %(measure)s "
            "before they adopted it, so a change after adoption cannot be put down to the "
            "idea.") % {"idea": idea, "measure": m}
    words = {"idea": idea, "measure": m, "units": units(e),
             "ci": gettext("95 %% CI %(low)s to %(high)s") % {
                 "low": e.shown(est.ci_low), "high": e.shown(est.ci_high)},
             "teams": gettext("%(adopters)s adopting, %(comparison)s comparison teams") % {
                 "adopters": est.adopters, "comparison": est.comparison}}
    if est.verdict == ww.Verdict.IMPROVEMENT:
        text = gettext(
            "Teams that adopted %(idea)s improved their %(measure)s by %(change)s %(units)s "
            "more than teams that had not yet adopted it (%(ci)s; %(teams)s).")
    elif est.verdict == ww.Verdict.WORSENING:
        text = gettext(
            "Teams that adopted %(idea)s worsened their %(measure)s by %(change)s %(units)s "
            "more than teams that had not yet adopted it (%(ci)s; %(teams)s).")
    else:
        text = gettext(
            "Teams that adopted %(idea)s changed their %(measure)s by %(change)s %(units)s "
            "against teams that had not yet adopted it (%(ci)s; %(teams)s): the interval "
            "includes no effect, so there is no evidence either way.")
        words["change"] = e.shown_estimate
    words.setdefault("change", e.shown(abs(est.estimate)))
    return (text % words).replace("  ", " ")


def cautions(e: Effect) -> list[str]:
    out = []
    est = e.estimate
    if est.verdict == ww.Verdict.PRETREND:
        out.append(gettext(
            "Before adoption the adopting teams were already moving differently from the "
            "comparison teams (pre-trend test p = %(p)s).") % {"p": f"{est.pretrend_p:.3f}"}
            if est.pretrend_p is not None else gettext(
            "Before adoption the adopting teams were already moving differently from the "
            "comparison teams."))
    q = est.q_value
    if est.verdict == ww.Verdict.NO_EVIDENCE and q is not None and est.ci_low is not None \
            and est.ci_high is not None and (est.ci_low > 0 or est.ci_high < 0):
        out.append(gettext(
            "Its interval alone excludes no effect, but with every idea and measure of the "
            "CoIIN tested at once that is within what chance produces (false discovery rate "
            "q = %(q)s; 0.05 is needed).") % {"q": f"{q:.2f}"})
    if e.co_adopted:
        names = "; ".join(ngettext("%(idea)s (%(n)s team)", "%(idea)s (%(n)s teams)", n)
                          % {"idea": t, "n": n} for t, n in e.co_adopted)
        out.append(gettext(
            "Adopted within %(periods)s periods of other ideas on this measure, whose effects "
            "cannot be told apart from this one's: %(names)s.") % {
            "periods": CO_ADOPTION_PERIODS, "names": names})
    if est.verdict != ww.Verdict.NOT_ENOUGH_DATA and min(est.adopters, est.comparison) < 10:
        out.append(gettext(
            "Few teams (%(adopters)s adopting, %(comparison)s comparison): the interval is "
            "wide and rests on a handful of teams.") % {"adopters": est.adopters,
                                                        "comparison": est.comparison})
    if e.awaiting:
        out.append(ngettext(
            "%(n)s back-dated adoption is taken to count from the day recorded until "
            "faculty confirm the earlier date.",
            "%(n)s back-dated adoptions are taken to count from the day recorded until "
            "faculty confirm the earlier date.", e.awaiting) % {"n": e.awaiting})
    return out


def sustained(e: Effect) -> str:
    if e.estimate.verdict != ww.Verdict.IMPROVEMENT:
        return ""
    s = e.estimate.sustained
    if s is None:
        return gettext("Not yet known: fewer than 12 periods since adoption for enough teams.")
    return (gettext("Sustained: still better 12 or more periods after adoption.") if s else
            gettext("Not shown to last: 12 or more periods after adoption the interval "
                    "includes no effect."))
