"""The starting measure catalog, drawn from the public definitions the network used.

Each entry cites where its definition comes from. Targets are given only where a public
source sets one (Healthy People 2020/2030 objectives; the Leapfrog Group's early
elective delivery target), and name that source.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import translation

from coiin.network.models import LearningNetwork
from coiin.vitals.models import MOTHER_RACES, Item

from .models import Measure, Stratum

VITAL = "Vital records (birth certificates, linked birth/infant death file)"
BIRTH_CERT = "Vital records (birth certificates)"
PRAMS = "PRAMS (Pregnancy Risk Assessment Monitoring System)"
HOSPITAL = "Hospital records"
PROGRAM = "Program records"
MEDICAID = "Medicaid claims"
BRFSS = "BRFSS (Behavioral Risk Factor Surveillance System)"
NCHS = "CDC/NCHS, National Vital Statistics System definitions"
TITLE_V = "HRSA MCHB Title V national performance measures (2015 framework)"

STRATA = {
    # The groups vital-records offices enter figures by (see FROM_VITALS).
    Stratum.Kind.RACE_ETHNICITY: list(MOTHER_RACES),
    Stratum.Kind.PAYER: [
        ("medicaid", "Medicaid"), ("private", "Private insurance"),
        ("uninsured", "Self-pay / uninsured"), ("other", "Other or unknown"),
    ],
    Stratum.Kind.AGE_GROUP: [
        ("under-20", "Under 20"), ("20-34", "20–34"), ("35-plus", "35 and over"),
    ],
}


@dataclass(frozen=True)
class Spec:
    code: str
    network: str | None
    name: str
    level: str
    type: str
    num: str = ""
    den: str = ""
    direction: str = "none"
    frequency: str = "monthly"
    source_data: str = PROGRAM
    multiplier: int = 100
    unit: str = "%"
    target: str | None = None
    target_source: str = ""
    strata: str = ""
    source: str = ""
    expected: tuple[float | None, float | None] = (None, None)
    recommended: bool = True
    categories: list[str] = field(default_factory=list)
    events: bool = False  # logged event by event (Measure.records_events)


PER_1000 = "per 1,000 live births"
# The IHI assessment scale, as the answers of a categorical measure: the same steps and
# words as the progress score (coiin.improvement.models.SCALE, which a later app holds).
IHI_SCALE = [f"{score} — {label}" for score, label in (
    ("0.5", "Intent to participate"), ("1.0", "Forming team"),
    ("1.5", "Planning for the project has begun"), ("2.0", "Activity, but no changes"),
    ("2.5", "Changes tested, but no improvement"), ("3.0", "Modest improvement"),
    ("3.5", "Improvement"), ("4.0", "Significant improvement"),
    ("4.5", "Sustainable improvement"), ("5.0", "Outstanding sustainable results"))]
SO, PO, PP, IN, BA = ("state_outcome", "pilot_outcome", "pilot_process", "innovation",
                      "balancing")

CATALOG: list[Spec] = [
    # Outcomes every learning network watches.
    Spec("IMR", None, "Infant mortality rate", SO, "ratio",
         "Deaths of infants under 1 year of age to residents",
         "Live births to residents", "down", "quarterly", VITAL, 1000, PER_1000,
         "6.0", "Healthy People 2020 MICH-1.3", "race_ethnicity",
         f"{NCHS}: infant death rate per 1,000 live births", (0, 25)),
    Spec("NMR", None, "Neonatal mortality rate", SO, "ratio",
         "Deaths of infants aged under 28 days", "Live births", "down", "quarterly", VITAL,
         1000, PER_1000, "4.1", "Healthy People 2020 MICH-1.4", "",
         f"{NCHS}: neonatal deaths (under 28 days) per 1,000 live births", (0, 20)),
    Spec("PNMR", None, "Post-neonatal mortality rate", SO, "ratio",
         "Deaths of infants aged 28 days to under 1 year", "Live births", "down", "quarterly",
         VITAL, 1000, PER_1000, "2.0", "Healthy People 2020 MICH-1.5", "",
         f"{NCHS}: post-neonatal deaths (28 days to under 1 year) per 1,000 live births",
         (0, 12)),
    Spec("PTB", None, "Preterm birth", SO, "ratio",
         "Live births before 37 completed weeks of gestation (obstetric estimate)",
         "Live births with known gestational age", "down", "quarterly", BIRTH_CERT,
         target="11.4", target_source="Healthy People 2020 MICH-9.1",
         strata="race_ethnicity", source=f"{NCHS}: preterm birth, <37 weeks",
         expected=(4, 20)),
    Spec("SUID", None, "Sudden unexpected infant death rate", SO, "ratio",
         "Infant deaths coded SIDS (R95), unknown cause (R99) or accidental suffocation and "
         "strangulation in bed (W75)", "Live births", "down", "yearly", VITAL, 1000,
         PER_1000, None, "", "",
         "CDC SUID and SDY case definitions; NCHS mortality coding (ICD-10 R95, R99, W75)",
         (0, 4)),
    # Safe Sleep
    Spec("SS-BACK", "safe-sleep", "Infants placed to sleep on their backs", SO, "ratio",
         "Mothers reporting they most often lay their baby down to sleep on his or her back",
         "Mothers with a live birth responding to PRAMS", "up", "yearly", PRAMS,
         target="88.9", target_source="Healthy People 2030 MICH-14",
         strata="race_ethnicity", source=f"{TITLE_V}: NPM 5A; CDC PRAMS",
         expected=(40, 100)),
    Spec("SS-SURFACE", "safe-sleep", "Infants placed to sleep on a separate approved sleep "
         "surface", SO, "ratio",
         "Mothers reporting their baby most often sleeps alone in a crib, bassinet or pack-and-"
         "play", "Mothers with a live birth responding to PRAMS", "up", "yearly", PRAMS,
         source=f"{TITLE_V}: NPM 5B; CDC PRAMS", expected=(10, 100)),
    Spec("SS-BEDDING", "safe-sleep", "Infants placed to sleep without soft objects or loose "
         "bedding", SO, "ratio",
         "Mothers reporting their baby sleeps without pillows, bumper pads, blankets or toys",
         "Mothers with a live birth responding to PRAMS", "up", "yearly", PRAMS,
         source=f"{TITLE_V}: NPM 5C; CDC PRAMS", expected=(10, 100)),
    Spec("SS-CRIB", "safe-sleep", "Infants observed in a safe sleep environment (crib audit)",
         PP, "ratio",
         "Audited infants on their back, alone, in a crib with no soft objects",
         "Infants audited in participating hospitals' newborn units", "up", "monthly",
         HOSPITAL, source="AAP safe sleep recommendations (2016); Cribs for Kids National "
         "Safe Sleep Hospital Certification crib-audit measure", expected=(20, 100)),
    Spec("SS-EDU", "safe-sleep", "Caregivers given safe sleep education before discharge", PP,
         "ratio", "Discharged newborns whose caregivers received documented safe sleep "
         "education", "Newborns discharged from participating hospitals", "up", "monthly",
         HOSPITAL, source="AAP safe sleep recommendations (2016); NICHQ Safe Sleep change "
         "package", expected=(20, 100)),
    Spec("SS-TRAIN", "safe-sleep", "Nursing staff trained in safe sleep", PP, "ratio",
         "Maternity and newborn nursing staff who completed safe sleep training",
         "Maternity and newborn nursing staff", "up", "quarterly", PROGRAM,
         source="NICHQ Safe Sleep change package (hospital policy and training driver)",
         recommended=False),
    Spec("SS-SRID", "safe-sleep", "Sleep-related infant deaths (event log)", SO, "count",
         "Each sleep-related infant death (SIDS, unknown cause, accidental suffocation or "
         "strangulation in bed) the state's child fatality review learns of, with its date "
         "and the live births since the previous one", "", "down", "monthly", VITAL, 1,
         "deaths", source="CDC SUID Case Registry case definitions; charted as the births "
         "(g chart) or days (t chart) between deaths, as for rare events in "
         "Provost & Murray, The Health Care Data Guide (2011)", recommended=False,
         events=True),
    # Smoking Cessation
    Spec("SC-PREG", "smoking-cessation", "Women who smoke during pregnancy", SO, "ratio",
         "Live births to women who smoked cigarettes in any trimester",
         "Live births with known smoking status", "down", "quarterly", BIRTH_CERT,
         strata="race_ethnicity", source=f"{NCHS}: 2003 revised birth certificate, "
         f"cigarette smoking by trimester; {TITLE_V}: NPM 14A",
         expected=(0, 35)),
    Spec("SC-QUIT", "smoking-cessation", "Smokers who quit during pregnancy", SO, "ratio",
         "Women who smoked in the 3 months before pregnancy and did not smoke in the third "
         "trimester", "Women who smoked in the 3 months before pregnancy", "up", "quarterly",
         BIRTH_CERT, source=f"{NCHS}: 2003 revised birth certificate smoking items "
         "(quit-rate definition used in NCHS Data Brief 305)", expected=(5, 80)),
    Spec("SC-SCREEN", "smoking-cessation", "Prenatal patients screened for tobacco use", PP,
         "ratio", "Prenatal patients asked about tobacco use at the first visit",
         "Prenatal patients with a first visit in the period", "up", "monthly", PROGRAM,
         source="ACOG Committee Opinion 721 (5 A's); CMS tobacco use screening "
         "measure (NQF 0028)", expected=(20, 100)),
    Spec("SC-REFER", "smoking-cessation", "Pregnant smokers referred to cessation support", PP,
         "ratio", "Pregnant patients who smoke referred to a quitline or counselling",
         "Pregnant patients identified as smokers", "up", "monthly", PROGRAM,
         source="ACOG Committee Opinion 721; US Public Health Service guideline "
         "'Treating Tobacco Use and Dependence' (2008)", expected=(0, 100)),
    Spec("SC-QUITLINE", "smoking-cessation", "Pregnant and postpartum callers enrolled in the "
         "state quitline", PP, "count", direction="up", frequency="monthly",
         source_data=PROGRAM, multiplier=1, unit="callers",
         source="North American Quitline Consortium minimal data set (pregnancy status item)"),
    # Preconception / interconception health
    Spec("PC-WELLWOMAN", "preconception", "Women with a preventive medical visit in the past "
         "year", SO, "ratio", "Women aged 18–44 with a preventive visit in the past year",
         "Women aged 18–44 responding to BRFSS", "up", "yearly", BRFSS,
         source=f"{TITLE_V}: NPM 1 (well-woman visit)", expected=(30, 100)),
    Spec("PC-POSTPARTUM", "preconception", "Postpartum visit within 0–90 days", PP, "ratio",
         "Medicaid-paid deliveries with a postpartum visit 0–90 days after delivery",
         "Medicaid-paid deliveries", "up", "quarterly", MEDICAID,
         strata="race_ethnicity",
         source="IM CoIIN preconception/interconception measure set; cf. HEDIS Prenatal "
         "and Postpartum Care (NQF 1517, 21–56 days)", expected=(20, 100)),
    Spec("PC-SPACING", "preconception", "Births with an interpregnancy interval under 18 "
         "months", SO, "ratio", "Live births to women with a previous live birth, conceived "
         "less than 18 months after that birth", "Live births to women with a previous live "
         "birth", "down", "yearly", BIRTH_CERT,
         source=f"{NCHS}: interpregnancy interval from the 2003 birth certificate; "
         "Healthy People 2020 FP-5", expected=(10, 60)),
    Spec("PC-CONTRACEPTION", "preconception", "Postpartum women given most or moderately "
         "effective contraception within 60 days", PP, "ratio",
         "Medicaid-paid deliveries followed within 60 days by a most or moderately "
         "effective method", "Medicaid-paid live-birth deliveries", "up", "quarterly",
         MEDICAID, source="US Office of Population Affairs contraceptive care measures, "
         "Contraceptive Care – Postpartum (NQF 2902)", expected=(5, 90)),
    Spec("PC-ICC", "preconception", "Women with a prior adverse outcome receiving "
         "interconception care", PP, "ratio",
         "Women with a prior preterm or low-birth-weight birth or infant loss who had an "
         "interconception care visit", "Such women enrolled in the programme", "up",
         "quarterly", PROGRAM, source="CDC Select Panel on Preconception Care (MMWR 2006 "
         "55(RR-6)) recommendations 7–8", recommended=False),
    # Social Determinants of Health
    Spec("SD-BW-RATIO", "social-determinants", "Black : White infant mortality ratio", SO,
         "ratio", "Infant mortality rate, non-Hispanic Black mothers",
         "Infant mortality rate, non-Hispanic White mothers", "down", "yearly", VITAL, 1,
         "ratio", source=f"{NCHS}: infant mortality rates by race and Hispanic origin of "
         "mother (linked birth/infant death file)", expected=(0.5, 5)),
    Spec("SD-IMR-BLACK", "social-determinants", "Infant mortality rate, non-Hispanic Black "
         "mothers", SO, "ratio", "Infant deaths to non-Hispanic Black mothers",
         "Live births to non-Hispanic Black mothers", "down", "yearly", VITAL, 1000,
         PER_1000, source=f"{NCHS}: linked birth/infant death file", expected=(0, 30)),
    Spec("SD-SCREEN", "social-determinants", "Prenatal patients screened for social needs", PP,
         "ratio", "Prenatal patients screened for housing, food, transport and safety needs",
         "Prenatal patients seen in participating clinics", "up", "monthly", PROGRAM,
         strata="race_ethnicity", source="CMS Accountable Health Communities health-related "
         "social needs screening tool (2017)", expected=(0, 100)),
    Spec("SD-HOMEVISIT", "social-determinants", "Eligible families enrolled in home visiting",
         PP, "ratio", "Families enrolled in evidence-based home visiting in the target "
         "communities", "Eligible families in the target communities", "up", "quarterly",
         PROGRAM, source="HRSA MIECHV programme performance measures (enrollment)"),
    Spec("SD-POLICIES", "social-determinants", "Evidence-based policies and place-based "
         "strategies in place", IN, "count", direction="up", frequency="quarterly",
         source_data=PROGRAM, multiplier=1, unit="policies",
         source="IM CoIIN Social Determinants of Health learning network aim (NICHQ)"),
    Spec("SD-PARTNERS", "social-determinants", "Cross-sector partners engaged", IN, "count",
         direction="up", frequency="quarterly", source_data=PROGRAM, multiplier=1,
         unit="partners", source="Collective impact framework (Kania & Kramer 2011): "
         "cross-sector participation", recommended=False),
    # Prevention of preterm and early term births
    Spec("PT-EED", "preterm-birth", "Elective deliveries at 37 to under 39 weeks (PC-01)", PP,
         "ratio", "Patients with elective vaginal deliveries or elective cesarean births at "
         "≥37 and <39 weeks of gestation", "Patients delivering newborns with ≥37 and <39 "
         "weeks of gestation completed", "down", "monthly", HOSPITAL, target="5",
         target_source="The Leapfrog Group hospital target (≤5 %)",
         source="The Joint Commission Perinatal Care measure PC-01 (NQF 0469)",
         expected=(0, 40)),
    Spec("PT-17P", "preterm-birth", "Eligible women receiving 17-OH progesterone", PP, "ratio",
         "Women with a singleton pregnancy and a prior spontaneous preterm birth who "
         "received 17-alpha-hydroxyprogesterone caproate", "Such eligible women identified",
         "up", "monthly", MEDICAID,
         source="ACOG Practice Bulletin 130 (2012); IM CoIIN preterm birth learning network",
         expected=(0, 100)),
    Spec("PT-EARLYTERM", "preterm-birth", "Early term births (37–38 weeks)", SO, "ratio",
         "Live births at 37 0/7 to 38 6/7 weeks of gestation", "Live births with known "
         "gestational age", "down", "quarterly", BIRTH_CERT,
         source=f"{NCHS}: gestational age (obstetric estimate); ACOG Committee Opinion 579 "
         "definitions of term", expected=(10, 40)),
    Spec("PT-NTSV", "preterm-birth", "NTSV cesarean births (PC-02)", BA, "ratio",
         "Nulliparous women with a term, singleton baby in vertex position delivered by "
         "cesarean", "Nulliparous women with a term, singleton, vertex delivery", "down",
         "monthly", HOSPITAL, source="The Joint Commission Perinatal Care measure PC-02 "
         "(NQF 0471)", expected=(10, 50)),
    # Risk-appropriate perinatal care
    Spec("RA-VLBW", "risk-appropriate-care", "Very low birth weight infants born in a level "
         "III+ facility", SO, "ratio", "Live births under 1,500 g delivered in a level III or "
         "higher neonatal intensive care facility", "Live births under 1,500 g", "up",
         "quarterly", VITAL, target="83.7", target_source="Healthy People 2020 MICH-33",
         source=f"{TITLE_V}: NPM 3 (NQF 0477)", expected=(40, 100)),
    Spec("RA-LEVELS", "risk-appropriate-care", "Delivery hospitals with a designated level "
         "of neonatal care", IN, "ratio", "Birthing hospitals designated to a level of "
         "neonatal care by the state", "Birthing hospitals in the state", "up", "quarterly",
         PROGRAM, source="AAP policy statement 'Levels of Neonatal Care' (Pediatrics 2012; "
         "130:587)"),
    Spec("RA-ANTENATAL", "risk-appropriate-care", "High-risk mothers transferred before "
         "delivery", PP, "ratio", "Women delivering under 32 weeks who were transferred "
         "to a level III+ facility before delivery", "Women delivering under 32 weeks who "
         "presented at a level I–II facility", "up", "monthly", HOSPITAL,
         source="ACOG/SMFM Obstetric Care Consensus 2 'Levels of Maternal Care' (2015)",
         expected=(0, 100)),
    Spec("RA-POSTNATAL", "risk-appropriate-care", "Very low birth weight infants transferred "
         "after birth", BA, "ratio", "Infants under 1,500 g transferred to another facility "
         "within 48 hours of birth", "Live births under 1,500 g", "down", "quarterly",
         VITAL, source="Vermont Oxford Network transfer definitions; NPM 3 balancing "
         "measure", expected=(0, 60)),
    # Sampled each month: the days from birth to the postpartum visit of each patient in
    # the clinic's monthly chart sample, charted on xbar (mean) and s (spread) charts.
    Spec("PC-PPV-DAYS", "preconception", "Days from birth to the postpartum visit (sampled "
         "patients)", PP, "sampled",
         num="Days from the birth to the postpartum visit, one per patient sampled",
         direction="down", frequency="monthly", multiplier=1, unit="days",
         source="IM CoIIN preconception/interconception measure set (postpartum visit "
         "timing); cf. ACOG Committee Opinion 736 (contact within 3 weeks postpartum)",
         expected=(0, 120), recommended=False),
    # Every network's tests of change: the team's monthly place on the IHI assessment scale
    # (the progress score's scale, worded as in coiin.improvement) and its own account.
    # Optional: a team adds them when it wants them beside its numbers.
    Spec("TC-PROGRESS", None, "Progress of the team's tests of change (IHI assessment scale)",
         IN, "categorical", multiplier=1, unit="",
         source="IHI Breakthrough Series College assessment scale, 0.5 to 5.0",
         recommended=False, categories=IHI_SCALE),
    Spec("TC-NOTES", None, "Successes and barriers this period", IN, "text", multiplier=1,
         unit="", source="CoIIN monthly team report", recommended=False),
]

@dataclass(frozen=True)
class FromVitals:
    """A measure whose values are a jurisdiction's official counts: numerator and
    denominator items of the vitals store (for one race/ethnicity group, or all)."""

    numerator: str
    denominator: str
    mother_race: str = ""


# Official outcomes read from the jurisdiction store, not typed by teams: those whose
# numerator and denominator are exactly store items. PTB is not among them (its
# denominator is births with a known gestational age, which the store does not hold);
# nor the Black:White ratio (a ratio of rates, computed on the equity pages).
FROM_VITALS = {
    "IMR": FromVitals(Item.INFANT_DEATHS, Item.BIRTHS),
    "NMR": FromVitals(Item.NEONATAL_DEATHS, Item.BIRTHS),
    "PNMR": FromVitals(Item.POSTNEONATAL_DEATHS, Item.BIRTHS),
    "SUID": FromVitals(Item.SUID_DEATHS, Item.BIRTHS),
    "SD-IMR-BLACK": FromVitals(Item.INFANT_DEATHS, Item.BIRTHS, "Non-Hispanic Black"),
}

# The shared outcome measures each network's teams report by default, beside the
# network's own recommended ones (5–7 per network in all).
DEFAULT_SHARED = {
    "safe-sleep": ["IMR", "SUID"],
    "smoking-cessation": ["IMR"],
    "preconception": ["IMR"],
    "social-determinants": ["IMR"],
    "preterm-birth": ["PTB", "IMR"],
    "risk-appropriate-care": ["NMR", "IMR"],
}


# The catalog's Spanish texts (Puerto Rico's usage), one row per measure code; an empty cell
# leaves that text to English, which the pages then mark as English. The strata's labels
# likewise, one row per (kind, code).
SPANISH = Path(__file__).resolve().parent / "data" / "catalog_es.csv"
SPANISH_STRATA = SPANISH.with_name("strata_es.csv")
TRANSLATED = ("name", "numerator_definition", "denominator_definition", "unit", "data_source",
              "target_source", "source")


def spanish_texts() -> dict[str, dict[str, str | None]]:
    """{code: {"name_es": ..., ...}} from the Spanish data file (None where it is empty)."""
    with SPANISH.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: {f"{name}_es": row[name].strip() or None for name in TRANSLATED}
                for row in csv.DictReader(handle)}


def spanish_strata() -> dict[tuple[str, str], str | None]:
    """{(kind, code): Spanish label} from the strata's Spanish data file (None where empty)."""
    with SPANISH_STRATA.open(encoding="utf-8", newline="") as handle:
        return {(row["kind"], row["code"]): row["label"].strip() or None
                for row in csv.DictReader(handle)}


@transaction.atomic
def load_catalog() -> dict[str, Measure]:
    """Create or update the strata and the catalog's measures (idempotent). The texts are
    written in English (the untranslated column keeps English too) and in Spanish."""
    with translation.override("en"):
        return _load_catalog()


def _load_catalog() -> dict[str, Measure]:
    _load_strata()
    networks = {n.slug: n for n in LearningNetwork.objects.all()}
    spanish = spanish_texts()
    # Every measure read at once, with its network: one query however long the catalog.
    existing = {m.code: m for m in Measure.objects.filter(
        code__in=[spec.code for spec in CATALOG]).select_related("learning_network")}
    measures: dict[str, Measure] = {}
    for spec in CATALOG:
        defaults = _measure_fields(spec, networks, spanish)
        measure = existing.get(spec.code)
        if measure is None:
            measure = Measure.objects.create(code=spec.code, **defaults)
        elif any(_differs(getattr(measure, k), v) for k, v in defaults.items()):
            for k, v in defaults.items():
                setattr(measure, k, v)
            measure._change_reason = "catalog update"
            measure.save()  # a new version in the measure's history only when it changed
        measures[spec.code] = measure
    return measures


def _measure_fields(spec: Spec, networks: dict[str, LearningNetwork],
                    spanish: dict[str, dict[str, str | None]]) -> dict[str, object]:
    """The fields of a measure's row, as the catalog and its Spanish data file give them."""
    return {
        "name_en": spec.name, "learning_network": networks.get(spec.network or ""),
        "level": spec.level, "type": spec.type, "multiplier": spec.multiplier,
        "unit_en": spec.unit, "numerator_definition_en": spec.num,
        "denominator_definition_en": spec.den, "direction": spec.direction,
        "frequency": spec.frequency, "data_source_en": spec.source_data,
        "national_target": spec.target, "target_source_en": spec.target_source,
        "stratification": spec.strata, "expected_min": spec.expected[0],
        "expected_max": spec.expected[1], "source_en": spec.source,
        "recommended": spec.recommended, "categories": spec.categories,
        "records_events": spec.events,
        **spanish.get(spec.code, dict.fromkeys(f"{name}_es" for name in TRANSLATED)),
    }


def _load_strata() -> None:
    """Create the missing strata and write those whose labels or places changed; the rest
    are left alone (read in one query, not one round trip and savepoint each)."""
    strata_es = spanish_strata()
    existing = {(s.kind, s.code): s for s in Stratum.objects.all()}
    for kind, rows in STRATA.items():
        for position, (code, label) in enumerate(rows):
            defaults = {"label_en": label, "label_es": strata_es.get((kind, code)),
                        "position": position}
            stratum = existing.get((kind, code))
            if stratum is None:
                Stratum.objects.create(kind=kind, code=code, **defaults)
            elif any(getattr(stratum, k) != v for k, v in defaults.items()):
                for k, v in defaults.items():
                    setattr(stratum, k, v)
                stratum.save(update_fields=list(defaults))


def _differs(current: object, wanted: object) -> bool:
    if isinstance(current, LearningNetwork) or isinstance(wanted, LearningNetwork):
        return getattr(current, "pk", None) != getattr(wanted, "pk", None)
    if current is None or wanted is None:
        return not (current is None and wanted is None)
    if hasattr(current, "as_tuple"):  # Decimal
        from decimal import Decimal

        return current != Decimal(str(wanted))
    return current != wanted


def default_measure_codes(network_slug: str) -> list[str]:
    """The default set for a new team in this network: its recommended measures plus the
    shared outcomes it watches."""
    own = [s.code for s in CATALOG if s.network == network_slug and s.recommended]
    return DEFAULT_SHARED.get(network_slug, []) + own
