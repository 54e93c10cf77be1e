"""CDC WONDER's race and Hispanic-origin labels, and the platform's race/ethnicity strata.

The platform's strata (``models.MOTHER_RACES``) are those vital-records offices report:
Hispanic of any race, then non-Hispanic White, Black, Asian/Pacific Islander, American
Indian/Alaska Native, and other or unknown. A WONDER export that gives the mother's race
*and* her Hispanic origin maps onto them:

============================================  ==========================  ===============
Mother's Hispanic Origin                      Mother's race (bridged or   Stratum
                                              single race 6)
============================================  ==========================  ===============
Hispanic or Latino                            any                         ``hispanic``
Not Hispanic or Latino                        White                       ``nh-white``
Not Hispanic or Latino                        Black or African American   ``nh-black``
Not Hispanic or Latino                        Asian; Native Hawaiian or   ``nh-asian-pi``
                                              Other Pacific Islander;
                                              Asian or Pacific Islander
Not Hispanic or Latino                        American Indian or Alaska   ``nh-aian``
                                              Native
Not Hispanic or Latino                        More than one race          ``other``
Unknown or Not Stated                         any                         ``other``
============================================  ==========================  ===============

A figure is stored under the stratum's label (``Non-Hispanic Black``), as a vital-records
office's entry is, so that the teams' strata read it. Several WONDER rows can fall into
one stratum (Hispanic mothers of each race, say); the loader sums them, and a stratum with
any suppressed part is stored as suppressed.

An export by race alone cannot say who is non-Hispanic: its rows keep WONDER's race label
(e.g. ``White``, mothers of every origin), which is no platform stratum. An export by
Hispanic origin alone stores ``Hispanic`` for Hispanic mothers and keeps the other labels.
Any label not listed here refuses the file, naming the line and the column.
"""

from __future__ import annotations

from django.utils.translation import gettext

from .models import MOTHER_RACES

LABELS = dict(MOTHER_RACES)  # code -> the label a figure is stored under

HISPANIC, NOT_HISPANIC, ORIGIN_UNKNOWN = ("Hispanic or Latino", "Not Hispanic or Latino",
                                          "Unknown or Not Stated")
ORIGINS = (HISPANIC, NOT_HISPANIC, ORIGIN_UNKNOWN)
ORIGIN_COLUMNS = ("Mother's Hispanic Origin",)

# WONDER's race labels (bridged race and single race 6) -> the non-Hispanic stratum.
RACES = {
    "White": "nh-white",
    "Black or African American": "nh-black",
    "Asian": "nh-asian-pi",
    "Native Hawaiian or Other Pacific Islander": "nh-asian-pi",
    "Asian or Pacific Islander": "nh-asian-pi",
    "American Indian or Alaska Native": "nh-aian",
    "More than one race": "other",
}


class UnknownLabel(ValueError):
    """A label this mapping does not know; the message lists those it does."""


def _race(label: str) -> str:
    if label not in RACES:
        raise UnknownLabel(gettext("%(label)s is not a race WONDER gives (one of %(known)s)")
                           % {"label": repr(label), "known": ", ".join(RACES)})
    return RACES[label]


def _origin(label: str) -> str:
    if label not in ORIGINS:
        raise UnknownLabel(gettext("%(label)s is not a Hispanic origin WONDER gives (one of "
                                   "%(known)s)") % {"label": repr(label),
                                                    "known": ", ".join(ORIGINS)})
    return label


def stratum(race: str | None, origin: str | None) -> str:
    """The stored stratum (label) of a row with these WONDER labels (None: the export has no such
    column). Raises ``UnknownLabel`` (the caller names the column: ``which_unknown``)."""
    if origin is not None:
        _origin(origin)
        if race is not None:
            _race(race)
        if origin == HISPANIC:
            return LABELS["hispanic"]
        if origin == ORIGIN_UNKNOWN:
            return LABELS["other"] if race is not None else origin
        return LABELS[_race(race)] if race is not None else origin
    if race is not None:
        _race(race)
        return race
    return ""


def which_unknown(race: str | None, origin: str | None) -> str:
    """'race' or 'origin': the column whose label ``stratum`` refused."""
    return "origin" if origin is not None and origin not in ORIGINS else "race"
