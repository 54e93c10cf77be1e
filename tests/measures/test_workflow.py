"""A team-period moves draft → submitted → reviewed → locked; every change is kept."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from coiin import access
from coiin.access import Action
from coiin.measures import services
from coiin.measures.models import DataValue, Submission
from coiin.measures.periods import Period
from coiin.measures.validation import Entry

TODAY = dt.date(2015, 4, 10)  # March 2015 is open: due April 30, closes May 14


@pytest.fixture
def march(team, chosen):
    return services.submission_for(team, Period.parse("2015-03"))


def crib(catalog, num, den, **kw):
    return Entry(catalog["SS-CRIB"], "2015-03", numerator=num, denominator=den, **kw)


def save(submission, user, entries, version=None, **kw):
    return services.save_values(submission=submission, user=user, entries=entries,
                                expected_version=submission.version if version is None
                                else version, today=TODAY, **kw)


def test_saving_stores_values_once_and_bumps_the_version(march, data_lead, catalog):
    save(march, data_lead, [crib(catalog, "40", "50")])
    save(march, data_lead, [crib(catalog, "41", "50")])
    value = DataValue.objects.get()
    assert (value.numerator, value.denominator, value.result) == (41, 50, Decimal("82"))
    assert march.version == 2
    assert value.updated_by == data_lead


def test_errors_block_and_nothing_is_saved(march, data_lead, catalog):
    with pytest.raises(services.DataErrors) as exc:
        save(march, data_lead, [crib(catalog, "40", "50"),
                                Entry(catalog["SS-EDU"], "2015-03", numerator="9",
                                      denominator="5")])
    assert [str(i) for i in exc.value.errors] == [
        "SS-EDU 2015-03, numerator: 9 is more than the denominator 5"]
    assert not DataValue.objects.exists()
    march.refresh_from_db()
    assert march.version == 0


def test_warnings_need_a_reason_and_the_reason_is_kept(march, data_lead, catalog):
    imr = catalog["IMR"]
    quarter = services.submission_for(march.team, Period.parse("2015-Q1"))
    high = Entry(imr, "2015-Q1", numerator="40", denominator="1000")
    with pytest.raises(services.DataErrors) as exc:
        save(quarter, data_lead, [high])
    assert exc.value.warnings and not exc.value.errors
    high.confirm = "Cluster of deaths confirmed by the vital records office"
    kept = save(quarter, data_lead, [high])
    assert len(kept) == 1
    assert DataValue.objects.get().warnings_confirmed.startswith("Cluster of deaths")


def test_a_second_editor_gets_a_conflict_and_sees_what_changed(march, data_lead, member,
                                                               catalog):
    opened_at = march.version  # both open the form
    save(march, data_lead, [crib(catalog, "40", "50")], version=opened_at)
    stale = Submission.objects.get(pk=march.pk)
    stale.version = opened_at
    with pytest.raises(services.EditConflict) as exc:
        save(stale, member, [crib(catalog, "30", "50")], version=opened_at)
    assert "Dara Data saved Georgia · Safe Sleep, 2015-03 after you opened it" in str(exc.value)
    assert [(c.field, c.yours, c.theirs) for c in exc.value.changes] == [
        ("numerator", "30", "40")]
    assert DataValue.objects.get().numerator == 40  # not silently overwritten


def test_every_change_is_in_the_audit_history_with_who_and_why(march, data_lead, lead,
                                                               catalog):
    save(march, data_lead, [crib(catalog, "40", "50")], reason="first entry")
    save(march, lead, [crib(catalog, "42", "50")], reason="late audit sheets")
    value = DataValue.objects.get()
    history = list(value.history.order_by("history_date"))
    assert [(h.numerator, h.history_change_reason) for h in history] == [
        (40, "first entry"), (42, "late audit sheets")]
    delta = history[1].diff_against(history[0])
    assert [(c.field, c.old, c.new) for c in delta.changes if c.field == "numerator"] == [
        ("numerator", 40, 42)]


def test_clearing_a_value_removes_it_and_the_removal_is_recorded(march, data_lead, catalog):
    save(march, data_lead, [crib(catalog, "40", "50")])
    save(march, data_lead, [crib(catalog, "", "")], reason="entered in error")
    assert not DataValue.objects.exists()
    assert DataValue.history.filter(history_type="-").get().history_change_reason == \
        "entered in error"


def test_the_full_workflow(march, data_lead, faculty, backbone, catalog):
    save(march, data_lead, [crib(catalog, "40", "50")])
    march = services.submit(submission=march, user=data_lead, today=TODAY)
    assert march.status == "submitted" and march.submitted_by == data_lead
    march = services.review(submission=march, user=faculty, assessment="Steady; try audits.")
    assert march.status == "reviewed" and march.assessment == "Steady; try audits."
    march = services.lock(submission=march, user=backbone)
    assert march.status == "locked"
    assert [(e.action, e.from_status, e.to_status) for e in march.events.all()] == [
        ("submitted", "draft", "submitted"), ("reviewed", "submitted", "reviewed"),
        ("locked", "reviewed", "locked")]


def test_reopening_is_recorded_with_its_reason(march, data_lead, backbone, catalog):
    save(march, data_lead, [crib(catalog, "40", "50")])
    services.submit(submission=march, user=data_lead, today=TODAY)
    march = services.reopen(submission=march, user=backbone, reason="Hospital resent data")
    assert march.status == "draft"
    assert march.events.last().note == "Hospital resent data"
    with pytest.raises(services.ReportingError, match="Say why"):
        services.reopen(submission=march, user=backbone, reason=" ")


def test_values_of_a_submitted_period_cannot_change(march, data_lead, catalog):
    save(march, data_lead, [crib(catalog, "40", "50")])
    march = services.submit(submission=march, user=data_lead, today=TODAY)
    with pytest.raises(services.ReportingError, match="is submitted; it must be reopened"):
        save(march, data_lead, [crib(catalog, "41", "50")])


@pytest.mark.parametrize(("step", "kwargs", "message"), [
    ("review", {"assessment": "ok"}, "is draft; it cannot be reviewed"),
    ("lock", {}, "is draft; it cannot be locked"),
    ("reopen", {"reason": "x"}, "is draft; it cannot be reopened"),
])
def test_out_of_order_steps_are_refused(march, backbone, step, kwargs, message):
    with pytest.raises(services.ReportingError, match=message):
        getattr(services, step)(submission=march, user=backbone, **kwargs)


def test_an_empty_period_cannot_be_submitted(march, data_lead):
    with pytest.raises(services.ReportingError, match="has no values yet"):
        services.submit(submission=march, user=data_lead, today=TODAY)


def test_a_review_records_the_language_its_assessment_was_written_in(march, data_lead,
                                                                       faculty, catalog):
    from django.utils import translation

    save(march, data_lead, [crib(catalog, "40", "50")])
    march = services.submit(submission=march, user=data_lead, today=TODAY)
    assert march.assessment_language == "en"  # nothing written yet: the old rows' default
    with translation.override("es-pr"):
        march = services.review(submission=march, user=faculty,
                                assessment="Estable; pruebe las auditorías.")
    march.refresh_from_db()
    assert march.assessment_language == "es"


def test_a_review_needs_an_assessment(march, data_lead, faculty, catalog):
    save(march, data_lead, [crib(catalog, "40", "50")])
    services.submit(submission=march, user=data_lead, today=TODAY)
    with pytest.raises(services.ReportingError, match="Write an assessment"):
        services.review(submission=march, user=faculty, assessment="")


def test_a_period_closes_after_due_date_plus_grace(settings, march, data_lead, catalog):
    settings.REPORTING_DUE_DAYS, settings.REPORTING_GRACE_DAYS = 30, 14
    assert services.due_date(march.period) == dt.date(2015, 4, 30)
    assert services.closes_on(march) == dt.date(2015, 5, 14)
    assert not services.is_closed(march, dt.date(2015, 5, 14))
    assert services.is_closed(march, dt.date(2015, 5, 15))
    with pytest.raises(services.ReportingError, match="closed on May 14, 2015"):
        services.save_values(submission=march, user=data_lead, entries=[crib(catalog, "1", "2")],
                             expected_version=0, today=dt.date(2015, 6, 1))


def test_backbone_can_grant_an_exception(march, backbone, data_lead, catalog):
    until = timezone.localdate() + dt.timedelta(days=10)
    march = services.grant_exception(submission=march, user=backbone, until=until,
                                     reason="State data system outage")
    assert services.closes_on(march) == until
    services.save_values(submission=march, user=data_lead, entries=[crib(catalog, "1", "2")],
                         expected_version=march.version)
    assert march.events.get().action == "exception"


def test_drafts_never_show_outside_the_team(march, data_lead, faculty, funder, outsider,
                                            backbone, member, catalog):
    save(march, data_lead, [crib(catalog, "40", "50")])
    def sees(user):
        return access.visible_submissions(user).filter(pk=march.pk).exists()
    assert sees(member) and sees(backbone)
    assert not sees(faculty) and not sees(funder) and not sees(outsider)
    services.submit(submission=march, user=data_lead, today=TODAY)
    assert sees(faculty) and sees(funder)
    assert not sees(outsider)


@pytest.mark.parametrize(("name", "enter", "submit", "review", "reopen", "lock"), [
    ("member", True, False, False, False, False),
    ("data_lead", True, True, False, False, False),
    ("lead", True, True, False, False, False),
    ("faculty", False, False, True, True, False),
    ("funder", False, False, False, False, False),
    ("outsider", False, False, False, False, False),
    ("backbone", True, True, True, True, True),
])
def test_who_may_take_each_step(request, team, name, enter, submit, review, reopen, lock):
    user = request.getfixturevalue(name)
    assert (access.can(user, Action.ENTER_DATA, team), access.can(user, Action.SUBMIT_DATA, team),
            access.can(user, Action.REVIEW_DATA, team), access.can(user, Action.REOPEN_DATA, team),
            access.can(user, Action.LOCK_DATA, team)) == (enter, submit, review, reopen, lock)
