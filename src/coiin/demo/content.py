"""The demo's change packages, network aims and driver diagrams, one per learning network.

The change ideas are real strategies the CoIIN's learning networks used or that public
guidance recommends; descriptions are our own words and ``evidence`` names the public
sources (no prose is copied). Which team adopted what, and everything teams wrote, is
synthetic and generated in ``improvement.py``.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

GOAL_DUE = dt.date(2017, 9, 30)  # the national phase ran through September 2017


@dataclass(frozen=True)
class Idea:
    key: str
    title: str
    description: str
    evidence: str
    resources: str = ""


@dataclass(frozen=True)
class Secondary:
    text: str
    measure: str | None
    ideas: tuple[str, ...]


@dataclass(frozen=True)
class Primary:
    text: str
    measure: str | None
    secondaries: tuple[Secondary, ...]


@dataclass(frozen=True)
class Package:
    aim_what: str
    aim_how_much: str
    aim_measures: tuple[str, ...]
    drivers: tuple[Primary, ...]
    ideas: tuple[Idea, ...] = field(default_factory=tuple)


AAP_2016 = ("AAP Task Force on SIDS, 'SIDS and Other Sleep-Related Infant Deaths: Updated "
            "2016 Recommendations for a Safe Infant Sleeping Environment', Pediatrics 2016;"
            "138(5):e20162938")
PHS_2008 = ("US Public Health Service clinical practice guideline 'Treating Tobacco Use and "
            "Dependence: 2008 Update' (Fiore et al.)")
ACOG_721 = "ACOG Committee Opinion 721, 'Smoking Cessation During Pregnancy' (2017)"

PACKAGES: dict[str, Package] = {
    "safe-sleep": Package(
        "Reduce sleep-related sudden unexpected infant deaths in participating states",
        "by 10 % from the 2014 rate", ("SUID", "SS-BACK"),
        (
            Primary("Birthing hospitals model and teach safe sleep", "SS-CRIB", (
                Secondary("Hospital policy and nursing practice follow AAP guidance",
                          "SS-CRIB", ("policy", "training")),
                Secondary("Every family learns safe sleep before discharge", "SS-EDU",
                          ("discharge",)),
            )),
            Primary("Families and communities hear one consistent message", None, (
                Secondary("Home visitors and community partners reinforce the message",
                          None, ("home-visiting",)),
                Secondary("Every infant has a safe place to sleep", None, ("cribs",)),
            )),
        ),
        (
            Idea("policy", "Hospital safe sleep policy with monthly crib audits",
                 "Adopt a written infant safe sleep policy for newborn and paediatric units; "
                 "audit a sample of cribs every month against it and feed the results back "
                 "to each unit.",
                 f"{AAP_2016}; Cribs for Kids National Safe Sleep Hospital Certification "
                 "programme (policy, training and audit criteria); Kuhlmann et al., Hosp "
                 "Pediatr 2016;6(2):88-94 (safe sleep improvement in children's hospitals).",
                 "https://cribsforkids.org/hospitalcertification/\n"
                 "https://safetosleep.nichd.nih.gov/"),
            Idea("training", "Safe sleep training for maternity and newborn nurses",
                 "Train nurses in the AAP recommendations and in modelling safe sleep at the "
                 "bedside; include it in orientation and yearly competencies.",
                 f"{AAP_2016}; NICHD Safe to Sleep continuing education module for nurses; "
                 "Moon, Hauck and Colson, Curr Pediatr Rev 2016;12(1):67-75 (what changes "
                 "safe sleep behaviour).",
                 "https://safetosleep.nichd.nih.gov/resources/providers/nurses"),
            Idea("discharge", "Safe sleep education with teach-back at discharge",
                 "Give every family consistent safe sleep teaching before discharge, "
                 "checked with teach-back and documented in the record.",
                 f"{AAP_2016}; Krugman and Cumpsty-Fowler, Hosp Pediatr 2018;8(8):443-449 "
                 "(hospital initiative and post-discharge deaths); NICHD Safe to Sleep "
                 "campaign materials."),
            Idea("home-visiting", "Safe sleep messaging in home visiting",
                 "Home visitors assess the sleep environment at each visit and use the same "
                 "messages as the hospitals.",
                 f"{AAP_2016}; HRSA MIECHV safe sleep benchmark (Title V NPM 5); Moon, Hauck "
                 "and Colson 2016."),
            Idea("cribs", "Portable crib distribution with education",
                 "Give a portable crib, with safe sleep education, to families who have no "
                 "safe sleep space for their infant.",
                 "Hauck et al., J Community Health 2015;40(3):457-463 (evaluation of a "
                 f"national crib distribution programme); Cribs for Kids; {AAP_2016}.",
                 "https://cribsforkids.org/"),
        )),
    "smoking-cessation": Package(
        "Reduce smoking during pregnancy among women giving birth in participating states",
        "by 10 % from the 2014 share", ("SC-PREG", "SC-QUIT"),
        (
            Primary("Every pregnant and postpartum woman is asked and helped", "SC-SCREEN", (
                Secondary("Prenatal care screens with the 5 A's at every visit", "SC-SCREEN",
                          ("five-as", "co-monitoring")),
                Secondary("Smokers are connected to counselling", "SC-REFER",
                          ("fax-referral", "incentives")),
            )),
            Primary("Coverage and support continue after birth", "SC-QUITLINE", (
                Secondary("Payers cover cessation treatment without barriers", None,
                          ("medicaid-coverage",)),
                Secondary("Relapse is prevented after delivery", None, ("postpartum",)),
            )),
        ),
        (
            Idea("five-as", "5 A's screening at every prenatal visit",
                 "Ask about tobacco use at every prenatal visit, advise quitting, assess "
                 "readiness, assist with brief counselling and arrange follow-up; build the "
                 "steps into the prenatal record.",
                 f"{ACOG_721}; {PHS_2008}; US Preventive Services Task Force tobacco "
                 "cessation recommendation (2015, grade A for pregnant women)."),
            Idea("fax-referral", "Quitline fax or e-referral from prenatal care",
                 "Refer pregnant smokers to the state quitline by fax or electronic referral "
                 "so that the quitline calls the woman, rather than handing her a number.",
                 f"{PHS_2008}; North American Quitline Consortium guidance on provider "
                 f"referral; {ACOG_721}.", "https://www.naquitline.org/"),
            Idea("medicaid-coverage", "Medicaid coverage of cessation without prior "
                 "authorisation",
                 "Cover counselling and medication for pregnant women in Medicaid without "
                 "co-payments or prior authorisation, and tell providers and members.",
                 "Affordable Care Act section 4107 (Medicaid coverage of tobacco cessation "
                 "for pregnant women, 2010); CDC State Tobacco Activities Tracking and "
                 f"Evaluation (STATE) system; {PHS_2008}."),
            Idea("postpartum", "Postpartum relapse prevention at infant visits",
                 "Ask mothers about smoking at the infant's visits and offer help, so that "
                 "women who quit in pregnancy do not start again.",
                 "AAP Clinical Effort Against Secondhand Smoke Exposure (CEASE); "
                 f"{ACOG_721}."),
            Idea("incentives", "Financial incentives for quitting, verified by CO test",
                 "Offer vouchers to pregnant smokers who stay smoke-free, verified by an "
                 "exhaled carbon monoxide test, into the postpartum months.",
                 "Chamberlain et al., Cochrane Database Syst Rev 2017 (psychosocial "
                 "interventions, incentives most effective); Baby & Me Tobacco Free "
                 "programme evaluations."),
            Idea("co-monitoring", "Carbon monoxide monitoring at the booking visit",
                 "Measure exhaled carbon monoxide for every pregnant woman at the first "
                 "visit, so that smoking is found even when it is not reported.",
                 "NICE public health guideline PH26 'Smoking: stopping in pregnancy and "
                 "after childbirth' (2010)."),
        )),
    "preconception": Package(
        "Increase the share of women with a postpartum visit and effective contraception",
        "by 10 % from 2014", ("PC-POSTPARTUM", "PC-CONTRACEPTION"),
        (
            Primary("Women are healthy before and between pregnancies", "PC-WELLWOMAN", (
                Secondary("Every woman has a yearly well-woman visit", "PC-WELLWOMAN",
                          ("well-woman", "reproductive-plan")),
                Secondary("Women with a prior poor outcome get interconception care", None,
                          ("home-visiting-icc",)),
            )),
            Primary("Pregnancies are spaced as women intend", "PC-SPACING", (
                Secondary("Effective contraception is available right after birth",
                          "PC-CONTRACEPTION", ("larc",)),
                Secondary("Every mother has a postpartum visit", "PC-POSTPARTUM",
                          ("postpartum-visit",)),
            )),
        ),
        (
            Idea("larc", "Medicaid payment for immediate postpartum LARC",
                 "Pay for long-acting reversible contraception placed before discharge "
                 "separately from the delivery's global fee, and train inpatient staff.",
                 "ACOG Committee Opinion 670 'Immediate Postpartum Long-Acting Reversible "
                 "Contraception' (2016); CMS Center for Medicaid and CHIP Services "
                 "Informational Bulletin of April 8, 2016 on state Medicaid payment for "
                 "LARC."),
            Idea("well-woman", "Promote the yearly well-woman visit",
                 "Remind women, through Medicaid plans and clinics, that a yearly preventive "
                 "visit is covered without cost sharing.",
                 "HRSA Women's Preventive Services Guidelines (2011; Women's Preventive "
                 "Services Initiative 2016); Title V national performance measure 1."),
            Idea("home-visiting-icc", "Interconception care in home visiting",
                 "Home visitors support women after a preterm birth, low birth weight or "
                 "infant loss: a reproductive life plan, chronic disease follow-up and "
                 "birth spacing.",
                 "CDC 'Recommendations to Improve Preconception Health and Health Care', "
                 "MMWR 2006;55(RR-6); HRSA Healthy Start interconception care standards."),
            Idea("reproductive-plan", "Ask every woman about her pregnancy intentions",
                 "Ask at every primary care visit whether the woman wants to become pregnant "
                 "in the next year, and offer preconception care or contraception.",
                 "One Key Question initiative (Oregon Foundation for Reproductive Health, "
                 "now Power to Decide); CDC preconception recommendations (MMWR 2006)."),
            Idea("postpartum-visit", "Schedule the postpartum visit before discharge",
                 "Book the postpartum appointment before the mother leaves hospital and send "
                 "reminders, with Medicaid outreach to women who miss it.",
                 "ACOG Committee Opinion 736 'Optimizing Postpartum Care' (2018); HEDIS "
                 "Prenatal and Postpartum Care measure (NQF 1517)."),
        )),
    "social-determinants": Package(
        "Reduce the gap in infant mortality between Black and White infants",
        "by 10 % from 2014", ("SD-BW-RATIO", "SD-IMR-BLACK"),
        (
            Primary("Families' social needs are found and met", "SD-SCREEN", (
                Secondary("Prenatal care screens for social needs and refers", "SD-SCREEN",
                          ("screening", "chw")),
                Secondary("Families are enrolled in home visiting", "SD-HOMEVISIT",
                          ("home-visiting-sd",)),
            )),
            Primary("Policies and places support health equity", "SD-POLICIES", (
                Secondary("Cross-sector partners share the aim", "SD-POLICIES",
                          ("housing", "eitc")),
                Secondary("Care is respectful and free of bias", None, ("bias", "centering")),
            )),
        ),
        (
            Idea("screening", "Screen prenatal patients for social needs, with referral",
                 "Ask every prenatal patient about housing, food, transport, utilities and "
                 "safety with a standard tool, and close the loop on referrals.",
                 "CMS Accountable Health Communities health-related social needs screening "
                 "tool (2017); AAFP and ACOG guidance on social determinants in care."),
            Idea("chw", "Community health workers for pregnant women",
                 "Community health workers from the neighbourhood find women at risk, "
                 "connect them to prenatal care and services, and follow them to the "
                 "infant's first birthday.",
                 "Pathways Community HUB model (AHRQ Health Care Innovations Exchange); HRSA "
                 "Healthy Start programme; Redding et al., Matern Child Health J 2015 "
                 "(Pathways model and low birth weight)."),
            Idea("housing", "Housing partnerships for pregnant women",
                 "Partner with housing authorities and homeless services so that pregnant "
                 "women without stable housing are prioritised for housing support.",
                 "Robert Wood Johnson Foundation Commission to Build a Healthier America "
                 "(2014); ASTHO Health in All Policies guide (2013)."),
            Idea("bias", "Implicit-bias training for perinatal staff",
                 "Train hospital and clinic staff to recognise implicit bias and to give "
                 "respectful, woman-centred care, with patient-experience feedback.",
                 "Hall et al., Am J Public Health 2015;105(12):e60-e76 (systematic review of "
                 "implicit bias among health care professionals); National Partnership for "
                 "Women & Families, Listening to Mothers surveys."),
            Idea("home-visiting-sd", "Enrol families in evidence-based home visiting",
                 "Raise enrolment of eligible families in evidence-based home visiting "
                 "through referrals from prenatal care and WIC.",
                 "HRSA MIECHV programme evidence review (HomVEE); Olds et al. trials of the "
                 "Nurse-Family Partnership."),
            Idea("eitc", "State earned income tax credit outreach",
                 "Work with revenue departments and community partners so that eligible "
                 "families claim state and federal earned income tax credits.",
                 "Hoynes, Miller and Simon, Am Econ J Econ Policy 2015;7(1):172-211 (EITC "
                 "and infant health)."),
            Idea("centering", "Group prenatal care (CenteringPregnancy)",
                 "Offer prenatal care in groups of women due at the same time, with "
                 "assessment, education and support in each session.",
                 "Ickovics et al., Obstet Gynecol 2007;110(2):330-339 (randomised trial of "
                 "group prenatal care); Centering Healthcare Institute."),
        )),
    "preterm-birth": Package(
        "Reduce preterm and early term births in participating states",
        "by 8 % from the 2014 rate", ("PTB", "PT-EARLYTERM"),
        (
            Primary("No elective deliveries before 39 weeks", "PT-EED", (
                Secondary("Hospitals hold a hard stop on early elective deliveries",
                          "PT-EED", ("hard-stop", "scheduling")),
                Secondary("Payers do not pay for non-indicated early deliveries", None,
                          ("payment-policy",)),
            )),
            Primary("Women at risk receive progesterone in time", "PT-17P", (
                Secondary("Eligible women are found early in pregnancy", "PT-17P",
                          ("identify-17p",)),
                Secondary("Access to 17P has no administrative barriers", "PT-17P",
                          ("prior-auth",)),
            )),
        ),
        (
            Idea("hard-stop", "Hard stop policy for elective deliveries before 39 weeks",
                 "A hospital policy that elective inductions and caesareans before 39 weeks "
                 "are not scheduled without a documented medical indication, reviewed by a "
                 "department chair.",
                 "Clark et al., Am J Obstet Gynecol 2010;203(5):449.e1-6; Oshiro et al., "
                 "Obstet Gynecol 2013;121(5):1025-1031; The Joint Commission perinatal care "
                 "measure PC-01; March of Dimes 'Less Than 39 Weeks' toolkit.",
                 "https://www.marchofdimes.org/"),
            Idea("scheduling", "Scheduling form checks gestational age and indication",
                 "A standard scheduling form for inductions and caesareans that records "
                 "dating criteria and the indication before a slot is given.",
                 "ACOG Committee Opinion 561 'Nonmedically Indicated Early-Term Deliveries' "
                 "(2013); March of Dimes 'Less Than 39 Weeks' toolkit."),
            Idea("payment-policy", "Medicaid non-payment for non-indicated early deliveries",
                 "Medicaid and private payers decline payment for elective deliveries before "
                 "39 weeks without a medical indication.",
                 "South Carolina Birth Outcomes Initiative (2011 payment policy); Texas "
                 "Medicaid early elective delivery policy (2011)."),
            Idea("identify-17p", "Find women eligible for 17P from records and claims",
                 "Use birth records, claims and prenatal intake to find women with a prior "
                 "spontaneous preterm birth early in pregnancy and alert their providers.",
                 "Meis et al., N Engl J Med 2003;348:2379-2385 (17P trial); Ohio Perinatal "
                 "Quality Collaborative progesterone project."),
            Idea("prior-auth", "Remove Medicaid prior authorisation for 17P",
                 "Drop or simplify prior authorisation so that progesterone can start at "
                 "16 to 20 weeks, and pay pharmacies and home health for injections.",
                 "ACOG Practice Bulletin 130 'Prediction and Prevention of Preterm Birth' "
                 "(2012); SMFM statement on progesterone (2012)."),
        )),
    "risk-appropriate-care": Package(
        "Increase the share of very low birth weight infants born in level III+ hospitals",
        "to at least 90 %", ("RA-VLBW",),
        (
            Primary("Every hospital's level of care is defined and known", "RA-LEVELS", (
                Secondary("Hospitals are designated by level of neonatal and maternal care",
                          "RA-LEVELS", ("designation", "locate")),
            )),
            Primary("High-risk mothers deliver where their infants can be cared for",
                    "RA-ANTENATAL", (
                Secondary("Mothers are transferred before delivery", "RA-ANTENATAL",
                          ("transfer", "outreach")),
                Secondary("Hospitals see their own data", None, ("feedback",)),
            )),
        ),
        (
            Idea("designation", "State designation of levels of neonatal and maternal care",
                 "Define levels of care in state rule or guidance and designate each "
                 "birthing hospital, with periodic verification.",
                 "AAP policy statement 'Levels of Neonatal Care', Pediatrics 2012;130(3):"
                 "587-597; ACOG/SMFM Obstetric Care Consensus 2 'Levels of Maternal Care' "
                 "(2015)."),
            Idea("locate", "Assess hospitals with CDC's LOCATe tool",
                 "Survey birthing hospitals with the CDC Levels of Care Assessment Tool to "
                 "compare what they say with what they can provide.",
                 "CDC Levels of Care Assessment Tool (LOCATe, 2016)."),
            Idea("transfer", "Maternal transfer agreements and a transport protocol",
                 "Written agreements between level I-II hospitals and regional centres, with "
                 "a single call line and criteria for transfer before delivery.",
                 "Lasswell et al., JAMA 2010;304(9):992-1000 (meta-analysis of very low "
                 "birth weight birth outside level III hospitals); March of Dimes "
                 "'Toward Improving the Outcome of Pregnancy III' (2010)."),
            Idea("outreach", "Regional perinatal outreach education and tele-consults",
                 "Regional centres teach staff at referring hospitals and give tele-consults "
                 "on high-risk pregnancies.",
                 "Arkansas ANGELS programme (Antenatal and Neonatal Guidelines, Education "
                 "and Learning System, University of Arkansas for Medical Sciences); "
                 "'Toward Improving the Outcome of Pregnancy III' (2010)."),
            Idea("feedback", "Feed back each hospital's VLBW births from vital records",
                 "Send each hospital a quarterly report of very low birth weight infants born "
                 "there, with the state's aim.",
                 "Title V national performance measure 3 (risk-appropriate perinatal care); "
                 "Vermont Oxford Network benchmarking practice."),
        )),
}


# The ideas' titles in Spanish (Puerto Rico's usage), by network and idea key; an idea missing
# there shows in English, marked as such.
SPANISH_TITLES = Path(__file__).resolve().parent / "data" / "change_ideas_es.csv"


@cache
def spanish_titles() -> dict[tuple[str, str], str]:
    """{(network slug, idea key): Spanish title}."""
    with SPANISH_TITLES.open(encoding="utf-8", newline="") as handle:
        return {(row["network"], row["key"]): row["title"].strip()
                for row in csv.DictReader(handle) if row["title"].strip()}
