"""The demo network: all 59 jurisdictions in their cohorts, teams, people and roles.

Jurisdictions, FIPS codes and HHS regions are real (data/jurisdictions.csv, from
shared/reference/data/us_jurisdictions_hhs_regions.csv: HHS OASH regional offices and
FIPS 5-2). Cohort membership follows NICHQ's and HRSA's accounts of the CoIIN's phases.
Which networks each jurisdiction joined, and every person, team member and reporting
unit, are synthetic: generated from a fixed seed and labelled as such.

Loading is idempotent: every row is found by its natural key before it is created.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from django.db import transaction
from django.utils import translation

from coiin.network import services
from coiin.network.models import (
    Cohort,
    FacultyAssignment,
    Jurisdiction,
    LearningNetwork,
    Organisation,
    ReportingUnit,
    Team,
    TeamMembership,
    User,
)

from .known import Known

DATA = Path(__file__).resolve().parent / "data"
DEMO_PASSWORD = "coiin-demo-2026"  # noqa: S105 - printed for newcomers on purpose
SEED = 20140701

# Phase 1 began in 2012 with the 13 states of HHS Regions IV and VI; the 6 states of
# Region V joined in 2013; everyone else in 2014 (NICHQ CoIIN project pages; HRSA MCHB).
COHORTS = {
    2012: ("2012 cohort", "Regions IV and VI: the 13 southern and southwestern states "
                          "that began the CoIIN as a regional initiative in September 2012."),
    2013: ("2013 cohort", "Region V: the 6 Midwestern states that joined in 2013."),
    2014: ("2014 cohort", "The remaining 31 states, DC and the territories and freely "
                          "associated states, joining in the national phase from 2014."),
}
# The demo's reported series run to December 2017 (series.LAST_MONTH), when its learning
# networks end: no period after it is due, so nothing since reads "overdue".
DEMO_ENDS_ON = dt.date(2017, 12, 31)
COHORT_START = {2012: dt.date(2012, 9, 1), 2013: dt.date(2013, 9, 1), 2014: dt.date(2014, 7, 1)}


def cohort_year(kind: str, hhs_region: int) -> int:
    if kind == Jurisdiction.Kind.STATE and hhs_region in (4, 6):
        return 2012
    if kind == Jurisdiction.Kind.STATE and hhs_region == 5:
        return 2013
    return 2014


@dataclass(frozen=True)
class NetworkSpec:
    slug: str
    name: str
    short_name: str
    aim: str
    description: str
    popularity: float  # relative chance a jurisdiction picks it in the synthetic spread


LEARNING_NETWORKS = [
    NetworkSpec(
        "safe-sleep", "SIDS/SUID and Safe Sleep", "Safe Sleep",
        "Increase the share of infants placed to sleep on their backs, alone, in a safe "
        "crib, and so reduce sudden unexpected infant deaths.",
        "Teams spread safe-sleep practice through hospitals, home visiting and community "
        "partners: nurse training, crib programmes, consistent messages to families.", 1.7),
    NetworkSpec(
        "smoking-cessation", "Smoking Cessation", "Smoking Cessation",
        "Reduce smoking before, during and after pregnancy.",
        "Teams build screening and referral to quitlines into prenatal and postpartum care, "
        "and remove barriers such as Medicaid coverage of cessation treatment.", 1.0),
    NetworkSpec(
        "preconception", "Preconception and Interconception Health", "Pre/Interconception",
        "Promote women's health before and between pregnancies.",
        "Teams expand well-woman and postpartum visits, contraceptive access and "
        "interconception care through Medicaid and community programmes.", 1.2),
    NetworkSpec(
        "social-determinants", "Social Determinants of Health", "Social Determinants",
        "Incorporate evidence-based policies, programmes and place-based strategies that "
        "improve the social determinants of health and equity in birth outcomes.",
        "Teams work across sectors on housing, income, racism and place, and measure "
        "disparities in birth outcomes by race, ethnicity and payer.", 1.1),
    NetworkSpec(
        "preterm-birth", "Prevention of Preterm and Early Term Births", "Preterm Birth",
        "Increase appropriate use of 17-OH progesterone and reduce early elective "
        "deliveries before 39 weeks.",
        "Teams work with hospitals and payers on hard stops for elective deliveries before "
        "39 weeks and on timely access to progesterone for women at risk.", 1.1),
    NetworkSpec(
        "risk-appropriate-care", "Risk-appropriate Perinatal Care", "Perinatal Regionalization",
        "Increase the share of very low birth weight infants and high-risk mothers "
        "delivered at facilities with the right level of care.",
        "Teams define levels of maternal and neonatal care, designate facilities and "
        "build transfer agreements across regions.", 0.8),
]

FIRST_NAMES = [
    "Aisha", "Carmen", "Daniel", "Elena", "Farah", "Grace", "Hannah", "Imani", "Jamal",
    "Keisha", "Laura", "Marcus", "Nadia", "Olivia", "Priya", "Quinn", "Rosa", "Samuel",
    "Tanya", "Uma", "Victor", "Wendy", "Xavier", "Yolanda", "Zoe", "Andre", "Beatriz",
    "Caleb", "Denise", "Emil", "Fatima", "Gloria", "Hector", "Irene", "Joseph", "Kim",
]
LAST_NAMES = [
    "Adams", "Baker", "Castillo", "Diaz", "Edwards", "Foster", "Garcia", "Harris", "Ito",
    "Johnson", "Khan", "Lopez", "Morales", "Nguyen", "Okafor", "Patel", "Quintero",
    "Robinson", "Singh", "Thompson", "Underwood", "Vasquez", "Washington", "Xu", "Young",
    "Zimmerman", "Brooks", "Chen", "Douglas", "Ellis", "Fleming", "Greene", "Holmes",
]


@dataclass(frozen=True)
class DemoLogin:
    email: str
    first_name: str
    last_name: str
    title: str
    what: str


DEMO_TEAM = ("GA", "safe-sleep")
DEMO_LOGINS = {
    "lead": DemoLogin("lead@example.org", "Tasha", "Greene", "Safe Sleep programme manager",
                      "team lead, Georgia Safe Sleep"),
    "data_lead": DemoLogin("datalead@example.org", "Dev", "Raman", "MCH epidemiologist",
                           "data lead, Georgia Safe Sleep"),
    "member": DemoLogin("member@example.org", "Maria", "Santos", "Nurse educator",
                        "team member, Georgia Safe Sleep"),
    "faculty": DemoLogin("faculty@example.org", "Ruth", "Okoye", "Improvement coach",
                         "faculty (improvement coach), Safe Sleep network"),
    "backbone": DemoLogin("backbone@example.org", "Ben", "Carter", "Network administrator",
                          "backbone staff (network administrator; can use /admin/)"),
    "funder": DemoLogin("funder@example.org", "Fran", "Lee", "Project officer",
                        "funder (read-only, national view)"),
}


# The cohorts' and networks' texts in Spanish (Puerto Rico's usage), by year and by slug; an
# empty cell leaves that text to English, which the pages then mark as English.
COHORT_TEXTS = ("name", "description")
NETWORK_TEXTS = ("name", "short_name", "aim", "description")


def spanish_texts(filename: str, key: str, fields: tuple[str, ...]
                  ) -> dict[str, dict[str, str | None]]:
    """{key: {"name_es": ..., ...}} from a Spanish data file (None where a cell is empty)."""
    with open(DATA / filename, newline="", encoding="utf-8") as fh:
        return {row[key]: {f"{name}_es": row[name].strip() or None for name in fields}
                for row in csv.DictReader(fh)}


def spanish_cohorts() -> dict[str, dict[str, str | None]]:
    return spanish_texts("cohorts_es.csv", "year", COHORT_TEXTS)


def spanish_networks() -> dict[str, dict[str, str | None]]:
    return spanish_texts("learning_networks_es.csv", "slug", NETWORK_TEXTS)


def read_jurisdictions() -> list[dict[str, str]]:
    with open(DATA / "jurisdictions.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@transaction.atomic
def load_reference() -> tuple[dict[str, Jurisdiction], dict[str, LearningNetwork]]:
    """The real part of the network: cohorts, the 59 jurisdictions and the six networks,
    their texts in English (the untranslated columns keep English too) and in Spanish."""
    with translation.override("en"):
        return _load_reference()


def _load_reference() -> tuple[dict[str, Jurisdiction], dict[str, LearningNetwork]]:
    untranslated = dict.fromkeys(f"{name}_es" for name in COHORT_TEXTS)
    cohorts = {
        year: Cohort.objects.update_or_create(
            year=year, defaults={"name_en": name, "description_en": text,
                                 **spanish_cohorts().get(str(year), untranslated)})[0]
        for year, (name, text) in COHORTS.items()
    }
    jurisdictions: dict[str, Jurisdiction] = {}
    known = Known(Jurisdiction.objects.all(), lambda j: j.postal_code)
    for row in read_jurisdictions():
        year = cohort_year(row["jurisdiction_type"], int(row["hhs_region"]))
        jurisdictions[row["postal_code"]] = known.put(
            row["postal_code"], {"postal_code": row["postal_code"]}, {
                "name": row["name"], "official_name": row["official_name"],
                "fips_code": row["fips_state_code"], "kind": row["jurisdiction_type"],
                "hhs_region": int(row["hhs_region"]),
                "regional_office": row["hhs_regional_office"], "cohort": cohorts[year],
            },
        )
    networks: dict[str, LearningNetwork] = {}
    spanish = spanish_networks()
    untranslated = dict.fromkeys(f"{name}_es" for name in NETWORK_TEXTS)
    for position, spec in enumerate(LEARNING_NETWORKS, start=1):
        networks[spec.slug] = LearningNetwork.objects.update_or_create(
            slug=spec.slug,
            defaults={"name_en": spec.name, "short_name_en": spec.short_name,
                      "aim_en": spec.aim, "description_en": spec.description,
                      "position": position, **spanish.get(spec.slug, untranslated)},
        )[0]
    return jurisdictions, networks


def choose_networks(postal_codes: list[str], seed: int = SEED) -> dict[str, list[str]]:
    """A plausible synthetic spread: each jurisdiction joins one to three networks."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    slugs = [n.slug for n in LEARNING_NETWORKS]
    weights = [n.popularity for n in LEARNING_NETWORKS]
    chosen: dict[str, list[str]] = {}
    for code in postal_codes:
        k = rng.choices([1, 2, 3], weights=[0.15, 0.35, 0.5])[0]
        picks: list[str] = []
        while len(picks) < k:
            slug = rng.choices(slugs, weights=weights)[0]
            if slug not in picks:
                picks.append(slug)
        chosen[code] = picks
    # The demo logins work in Georgia's Safe Sleep team.
    code, slug = DEMO_TEAM
    if slug not in chosen[code]:
        chosen[code] = [slug, *chosen[code][:2]]
    return chosen


class DemoLoader:
    def __init__(self, log: Callable[[str], None] = print):
        self.log = log
        self.rng = random.Random(SEED)  # noqa: S311 - demo data, not security
        self.name_index = 0

    def next_name(self) -> tuple[str, str]:
        i = self.name_index
        self.name_index += 1
        return FIRST_NAMES[i % len(FIRST_NAMES)], LAST_NAMES[(i * 7) % len(LAST_NAMES)]

    # Each kind of row is read once, when first needed, rather than looked up row by row.
    @cached_property
    def users(self) -> Known[User]:
        return Known(User.objects.all(), lambda u: u.email)

    @cached_property
    def organisations(self) -> Known[Organisation]:
        return Known(Organisation.objects.all(), lambda o: o.name)

    @cached_property
    def units(self) -> Known[ReportingUnit]:
        return Known(ReportingUnit.objects.all(), lambda u: (u.team_id, u.name))

    @cached_property
    def assignments(self) -> Known[FacultyAssignment]:
        return Known(FacultyAssignment.objects.all(),
                     lambda f: (f.learning_network_id, f.user_id))

    def organisation(self, name: str, **defaults) -> Organisation:
        return self.organisations.put(name, {"name": name}, defaults)

    def assign(self, network: LearningNetwork, user: User, kind: str) -> None:
        self.assignments.put((network.pk, user.pk), {"learning_network": network, "user": user},
                             {"kind": kind})

    def person(self, email: str, first: str, last: str, title: str,
               organisation: Organisation | None, network_role: str = "",
               password: str | None = None) -> User:
        """A person found by e-mail; a new one gets ``password``, or none usable (a
        synthetic person cannot sign in)."""
        def set_password(user: User) -> None:
            if password:
                user.set_password(password)
            else:
                user.set_unusable_password()

        return self.users.put(
            email, {"email": email},
            {"first_name": first, "last_name": last, "title": title,
             "organisation": organisation, "network_role": network_role},
            before_insert=set_password)

    def synthetic_person(self, slug: str, title: str, org: Organisation | None,
                         network_role: str = "") -> User:
        first, last = self.next_name()
        email = f"{first}.{last}.{slug}@example.org".lower()
        return self.person(email, first, last, title, org, network_role)

    @transaction.atomic
    def load(self, only: Collection[str] | None = None) -> None:
        """Every jurisdiction's teams, or ``only`` those of the postal codes given (Georgia's
        always: the demo logins work there). Each joins the networks it joins in the whole
        demo."""
        jurisdictions, networks = load_reference()
        if only is not None:
            unknown = sorted(set(only) - set(jurisdictions))
            if unknown:
                raise ValueError(f"No jurisdiction has the postal code {', '.join(unknown)}.")
        LearningNetwork.objects.filter(pk__in=[n.pk for n in networks.values()]).update(
            ends_on=DEMO_ENDS_ON)
        national = self.national_organisations()
        self.backbone_and_funder(national)
        self.faculty(networks, national)
        spread = choose_networks(sorted(jurisdictions))
        chosen = None if only is None else {*only, DEMO_TEAM[0]}
        for code, jurisdiction in sorted(jurisdictions.items()):
            if chosen is None or code in chosen:
                self.jurisdiction_teams(jurisdiction, [networks[s] for s in spread[code]])
        self.demo_logins(jurisdictions, networks, national)

    def national_organisations(self) -> dict[str, Organisation]:
        rows = [
            ("NICHQ", Organisation.Kind.BACKBONE, "https://www.nichq.org/"),
            ("HRSA Maternal and Child Health Bureau", Organisation.Kind.FUNDER,
             "https://mchb.hrsa.gov/"),
            ("AMCHP", Organisation.Kind.NATIONAL_PARTNER, "https://amchp.org/"),
            ("ASTHO", Organisation.Kind.NATIONAL_PARTNER, "https://www.astho.org/"),
            ("March of Dimes", Organisation.Kind.NATIONAL_PARTNER,
             "https://www.marchofdimes.org/"),
        ]
        return {name: self.organisation(name, kind=kind, website=site, jurisdiction=None)
                for name, kind, site in rows}

    def backbone_and_funder(self, national: dict[str, Organisation]) -> None:
        for title in ("Network director", "Data manager", "Improvement advisor"):
            self.synthetic_person("nichq", title, national["NICHQ"], User.NetworkRole.BACKBONE)
        self.synthetic_person("hrsa", "Project officer",
                              national["HRSA Maternal and Child Health Bureau"],
                              User.NetworkRole.FUNDER)

    def faculty(self, networks: dict[str, LearningNetwork],
                national: dict[str, Organisation]) -> None:
        partners = [national["AMCHP"], national["ASTHO"], national["March of Dimes"],
                    national["NICHQ"]]
        for i, network in enumerate(networks.values()):
            for j, kind in enumerate([FacultyAssignment.Kind.EXPERT,
                                      FacultyAssignment.Kind.EXPERT,
                                      FacultyAssignment.Kind.COACH]):
                title = "Subject-matter expert" if kind == FacultyAssignment.Kind.EXPERT \
                    else "Improvement coach"
                user = self.synthetic_person(f"faculty{i}{j}", title,
                                             partners[(i + j) % len(partners)])
                self.assign(network, user, kind)

    def jurisdiction_teams(self, jurisdiction: Jurisdiction,
                           chosen: list[LearningNetwork]) -> None:
        code = jurisdiction.postal_code.lower()
        health_dept = self.organisation(f"{jurisdiction.name} Department of Health",
                                        kind=Organisation.Kind.STATE_HEALTH_DEPARTMENT,
                                        jurisdiction=jurisdiction)
        medicaid = self.organisation(f"{jurisdiction.name} Medicaid",
                                     kind=Organisation.Kind.MEDICAID, jurisdiction=jurisdiction)
        community = self.organisation(f"{jurisdiction.name} Healthy Start Coalition",
                                      kind=Organisation.Kind.COMMUNITY, jurisdiction=jurisdiction)
        director = self.synthetic_person(code, "Title V / MCH director", health_dept)
        epi = self.synthetic_person(code, "MCH epidemiologist", health_dept)
        medicaid_rep = self.synthetic_person(code, "Medicaid quality lead", medicaid)
        start = COHORT_START[jurisdiction.cohort.year]
        for index, network in enumerate(chosen):
            team = Team.objects.filter(jurisdiction=jurisdiction, learning_network=network).first()
            if team is None:
                team = services.join_network(jurisdiction=jurisdiction,
                                             learning_network=network, joined_on=start)
            lead = director if index == 0 else self.synthetic_person(
                f"{code}{index}", f"{network.short_name} programme manager", health_dept)
            partner = self.synthetic_person(f"{code}{index}p", "Community partner", community)
            services.add_members(team=team, roles=[
                (lead, TeamMembership.Role.LEAD), (epi, TeamMembership.Role.DATA_LEAD),
                (medicaid_rep, TeamMembership.Role.MEMBER),
                (partner, TeamMembership.Role.MEMBER)])
            self.reporting_units(team)

    def reporting_units(self, team: Team) -> None:
        name = team.jurisdiction.name
        slug = team.learning_network.slug
        if slug in {"risk-appropriate-care", "preterm-birth"}:
            units = [(f"{name} University Hospital", ReportingUnit.Kind.HOSPITAL),
                     (f"{name} Regional Medical Center", ReportingUnit.Kind.HOSPITAL),
                     (f"{name} Women's and Infants' Hospital", ReportingUnit.Kind.HOSPITAL)]
        elif slug == "safe-sleep":
            units = [(f"{name} northern region", ReportingUnit.Kind.OTHER),
                     (f"{name} southern region", ReportingUnit.Kind.OTHER)]
        elif slug == "smoking-cessation":
            units = [(f"{name} prenatal clinics", ReportingUnit.Kind.CLINIC)]
        else:
            return
        for unit_name, kind in units:
            self.units.put((team.pk, unit_name), {"team": team, "name": unit_name},
                           {"kind": kind, "is_synthetic": True})

    def demo_logins(self, jurisdictions: dict[str, Jurisdiction],
                    networks: dict[str, LearningNetwork],
                    national: dict[str, Organisation]) -> None:
        code, slug = DEMO_TEAM
        team = Team.objects.get(jurisdiction=jurisdictions[code], learning_network=networks[slug])
        ga_health = self.organisations.rows[f"{jurisdictions[code].name} Department of Health"]
        orgs = {"lead": ga_health, "data_lead": ga_health, "member": ga_health,
                "faculty": national["NICHQ"], "backbone": national["NICHQ"],
                "funder": national["HRSA Maternal and Child Health Bureau"]}
        roles = {"backbone": User.NetworkRole.BACKBONE, "funder": User.NetworkRole.FUNDER}
        members = []
        for key, login in DEMO_LOGINS.items():
            # Hashing a password is slow on purpose: a new login's is set as it is made, an
            # existing login's checked (and set again only if someone changed it).
            new = self.users.get(login.email) is None
            user = self.person(login.email, login.first_name, login.last_name, login.title,
                               orgs[key], roles.get(key, ""), password=DEMO_PASSWORD)
            if not new and not user.check_password(DEMO_PASSWORD):
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            if key in TeamMembership.Role.values:
                members.append((user, key))
        services.add_members(team=team, roles=members)
        self.assign(networks[slug], self.users.rows[DEMO_LOGINS["faculty"].email],
                    FacultyAssignment.Kind.COACH)


def load_demo(log: Callable[[str], None] = print, only: Collection[str] | None = None) -> None:
    DemoLoader(log).load(only)
