"""A jurisdiction's vital-records office enters its births and infant deaths once; every
team of the jurisdiction reads its official outcomes (IMR) from them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from coiin.access import Action, can
from coiin.charts.models import ChartSummary
from coiin.measures import services as reporting
from coiin.measures.catalog import default_measure_codes
from coiin.measures.models import DataValue, Submission
from coiin.measures.periods import Frequency, Period
from coiin.measures.services import ValueIn
from coiin.measures.validation import Entry
from coiin.network import services as network
from coiin.vitals import services
from coiin.vitals.models import SourceKind, VitalFigure, VitalRecordsRole, VitalsLoad

from ..conftest import make_user

Q2 = Period(dt.date(2025, 4, 1), Frequency.QUARTERLY)
URL = "/vitals/ga/enter/"
GOOD = {"year": "2025", "quarter": "2", "status": "provisional", "births": "32,100",
        "infant_deaths": "225", "births-nh-black": "10500", "infant_deaths-nh-black": "120",
        "births-nh-white": "15000", "infant_deaths-nh-white": "70"}


@pytest.fixture
def ga_teams(catalog, team, networks, jurisdictions):
    """Georgia in three networks, each reporting its default measures (IMR among them)."""
    teams = [team] + [network.join_network(jurisdiction=jurisdictions["GA"],
                                           learning_network=networks[slug])
                      for slug in ("preterm-birth", "smoking-cessation")]
    for t in teams:
        reporting.choose_measures(team=t, measures=[
            catalog[c] for c in default_measure_codes(t.learning_network.slug)])
    return teams


@pytest.fixture
def office(jurisdictions, backbone):
    user = make_user("rita.records@example.org")
    services.grant_role(user=user, jurisdiction=jurisdictions["GA"], by=backbone)
    return user


def imr_values(team, catalog):
    return {(v.stratum.code if v.stratum else ""): (v.numerator, v.denominator, v.comment)
            for v in DataValue.objects.filter(submission__team=team, measure=catalog["IMR"],
                                              submission__period_start=Q2.start)
            .select_related("stratum")}


def test_one_entry_for_georgia_shows_in_its_three_teams(client, ga_teams, office, catalog):
    client.force_login(office)
    response = client.post(URL, GOOD)
    assert response.status_code == 302
    assert VitalFigure.objects.filter(source_kind=SourceKind.OFFICE).count() == 6
    load = VitalsLoad.objects.get(source_kind=SourceKind.OFFICE)
    assert load.loaded_by == office and "Georgia 2025-Q2" in load.file_name
    for t in ga_teams:
        values = imr_values(t, catalog)
        assert set(values) == {"", "nh-black", "nh-white"}
        assert values[""][:2] == (Decimal(225), Decimal(32100))
        assert values["nh-black"][:2] == (Decimal(120), Decimal(10500))
        assert values[""][2].startswith("from the Georgia vital records office, provisional, "
                                        "loaded 20")
    # The entry form shows it read-only, with its source; the team cannot type it.
    lead = make_user("lee.lead@example.org")
    network.add_member(team=ga_teams[1], user=lead, role="lead")
    client.force_login(lead)
    t = ga_teams[1]
    page = client.get(f"/networks/{t.learning_network.slug}/ga/data/2025-Q2/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Official figures" in text and "from the Georgia vital records office, " \
        "provisional, loaded" in text.replace("From", "from")
    assert 'name="m-IMR-num"' not in text
    # In the reader's language, the stored comment staying in English.
    spanish = client.get(f"/networks/{t.learning_network.slug}/ga/data/2025-Q2/",
                         HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "De la oficina de estadísticas vitales de Georgia, provisional, cargado el 20" \
        in spanish
    assert "vital records office" not in spanish
    assert imr_values(t, catalog)[""][2].startswith("from the Georgia vital records office")
    rows = [r.measure.code for r in page.context["rows"]]
    assert "PTB" in rows and "IMR" not in rows  # the team's own measures stay in the form


def test_the_same_entry_twice_changes_nothing(ga_teams, office, jurisdictions):
    cells = {k: v for k, v in GOOD.items() if k not in ("year", "quarter", "status")}
    first = services.enter_figures(jurisdiction=jurisdictions["GA"], user=office, year=2025,
                                   quarter=2, status="provisional", cells=cells)
    again = services.enter_figures(jurisdiction=jurisdictions["GA"], user=office, year=2025,
                                   quarter=2, status="provisional", cells=cells)
    assert first.added == 6 and again.already_loaded
    assert VitalsLoad.objects.count() == 1


def test_a_differing_figure_is_refused_by_field(ga_teams, office, jurisdictions, catalog):
    services.enter_figures(jurisdiction=jurisdictions["GA"], user=office, year=2025,
                           quarter=2, status="provisional",
                           cells={"births": "32100", "infant_deaths": "225"})
    with pytest.raises(services.EntryRefused) as refused:
        services.enter_figures(jurisdiction=jurisdictions["GA"], user=office, year=2025,
                               quarter=2, status="provisional",
                               cells={"births": "32100", "infant_deaths": "226"})
    assert list(refused.value.fields) == ["infant_deaths"]
    assert "225" in refused.value.fields["infant_deaths"]
    assert imr_values(ga_teams[0], catalog)[""][0] == Decimal(225)


@pytest.mark.parametrize(("cells", "field"), [
    ({"infant_deaths": "abc"}, "infant_deaths"),
    ({"births-nh-black": "100"}, "infant_deaths-nh-black"),  # more deaths than births
    ({"births-hispanic": "900"}, "infant_deaths-hispanic"),  # a group without deaths
    ({"births-nh-white": "40000"}, "births"),  # the groups exceed the total
    ({"year": "2090"}, "year"),
    ({"quarter": "7"}, "quarter"),
])
def test_a_malformed_entry_changes_nothing_and_says_which_field(
        client, ga_teams, office, catalog, cells, field):
    client.force_login(office)
    response = client.post(URL, {**GOOD, **cells})
    assert response.status_code == 400
    assert field in response.context["problems"]
    assert f'href="#f-{field}"' in response.content.decode()
    assert not VitalFigure.objects.exists() and not VitalsLoad.objects.exists()
    assert not DataValue.objects.filter(measure=catalog["IMR"]).exists()


def test_a_member_of_another_jurisdiction_cannot_enter(client, ga_teams, outsider, member,
                                                       office, jurisdictions):
    for person in (outsider, member):  # Ohio's lead; a member of a Georgia team
        client.force_login(person)
        assert client.post(URL, GOOD).status_code == 403
    # Georgia's office may not enter Ohio's figures either.
    assert not can(office, Action.ENTER_VITALS, jurisdictions["OH"])
    client.force_login(office)
    assert client.post("/vitals/oh/enter/", GOOD).status_code in (403, 404)
    assert not VitalFigure.objects.exists()


def test_backbone_staff_name_and_withdraw_the_office(client, backbone, member, jurisdictions):
    person = make_user("olga.office@example.org")
    client.force_login(member)
    assert client.post("/vitals/offices/", {"email": person.email,
                                            "jurisdiction": "GA"}).status_code == 403
    client.force_login(backbone)
    assert client.post("/vitals/offices/", {"email": person.email,
                                            "jurisdiction": "GA"}).status_code == 302
    role = VitalRecordsRole.objects.get(user=person)
    assert role.jurisdiction.postal_code == "GA" and role.granted_by == backbone
    assert can(person, Action.ENTER_VITALS, jurisdictions["GA"])
    assert "olga.office@example.org" in client.get("/vitals/offices/").content.decode()
    client.post("/vitals/offices/", {"withdraw": role.pk})
    assert not can(person, Action.ENTER_VITALS, jurisdictions["GA"])


def test_the_store_wins_over_a_typed_value_which_the_history_keeps(
        ga_teams, office, jurisdictions, catalog, data_lead):
    team = ga_teams[0]
    submission = reporting.submission_for(team, Q2)
    imr = catalog["IMR"]
    reporting.save_values(submission=submission, user=data_lead, expected_version=0,
                          today=dt.date(2025, 7, 10),
                          entries=[Entry(imr, Q2.label, None, numerator="5",
                                         denominator="1000")])
    reporting.submit(submission=submission, user=data_lead, today=dt.date(2025, 7, 10))
    services.enter_figures(jurisdiction=jurisdictions["GA"], user=office, year=2025,
                           quarter=2, status="provisional",
                           cells={"births": "32100", "infant_deaths": "225"})
    value = DataValue.objects.get(submission=submission, measure=imr, stratum=None)
    assert (value.numerator, value.denominator) == (225, 32100)
    assert [h.numerator for h in value.history.order_by("history_date")] == [5, 225]
    latest = value.history.latest("history_date")
    assert latest.history_change_reason.startswith("official figure")
    assert latest.history_user == office and value.updated_by == office
    # The chart summary of the submitted period heard of it.
    summary = ChartSummary.objects.get(team=team, measure=imr, scope="team")
    assert summary.latest_value == pytest.approx(225 / 32100 * 1000)
    # Typing it is refused, saying where it comes from.
    submission.refresh_from_db()
    reporting.reopen(submission=submission, user=data_lead, reason="a fix")
    submission.refresh_from_db()
    with pytest.raises(reporting.DataErrors) as refused:
        reporting.save_values(submission=submission, user=data_lead,
                              expected_version=submission.version, today=dt.date(2025, 7, 10),
                              entries=[Entry(imr, Q2.label, None, numerator="6",
                                             denominator="1000")])
    assert "official figures" in str(refused.value)


def test_a_team_taking_up_imr_later_reads_what_was_entered(catalog, team, office,
                                                            jurisdictions):
    services.enter_figures(jurisdiction=jurisdictions["GA"], user=office, year=2025,
                           quarter=2, status="provisional",
                           cells={"births": "32100", "infant_deaths": "225"})
    assert not DataValue.objects.exists()
    reporting.choose_measures(team=team, measures=[catalog["IMR"]])
    assert imr_values(team, catalog)[""][:2] == (225, 32100)
    assert Submission.objects.get(team=team).status == "draft"


def test_where_the_store_has_nothing_the_team_still_types(ga_teams, catalog, data_lead):
    submission = reporting.submission_for(ga_teams[0], Q2)
    reporting.save_values(submission=submission, user=data_lead, expected_version=0,
                          today=dt.date(2025, 7, 10),
                          entries=[Entry(catalog["IMR"], Q2.label, None, numerator="5",
                                         denominator="1000")])
    assert imr_values(ga_teams[0], catalog)[""][:2] == (5, 1000)


def test_an_import_of_an_official_value_is_refused_by_row(ga_teams, office, jurisdictions,
                                                          catalog, data_lead):
    services.enter_figures(jurisdiction=jurisdictions["GA"], user=office, year=2025,
                           quarter=2, status="provisional",
                           cells={"births": "32100", "infant_deaths": "225"})
    team = ga_teams[0]
    rows = [ValueIn(7, team, catalog["IMR"], Q2, None, "5", "1000", None),
            ValueIn(8, team, catalog["IMR"], Period(dt.date(2025, 1, 1), Frequency.QUARTERLY),
                    None, "6", "1000", None)]
    with pytest.raises(reporting.ImportRefused) as refused:
        reporting.import_stream(iter(rows), user=data_lead, check_closed=False)
    assert [str(e) for e in refused.value.errors] == [
        "row 7, measure: IMR 2025-Q2 comes from Georgia's official figures; teams do not "
        "type it"]
    assert imr_values(team, catalog)[""][:2] == (225, 32100)


def test_the_official_figures_page_leads_backbone_staff_to_the_offices(client, backbone,
                                                                       funder):
    client.force_login(backbone)
    assert 'href="/vitals/offices/"' in client.get("/vitals/").content.decode()
    client.force_login(funder)
    assert 'href="/vitals/offices/"' not in client.get("/vitals/").content.decode()
