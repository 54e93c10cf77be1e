"""Publishing measures to the public site, and the disclosure-controlled release of each.

A *release* is everything public derived from one measure: its annual sums per
jurisdiction, per learning network and for the nation, at the levels backbone staff have
published, and, where they publish them too, the same sums per stratum (e.g. by
race/ethnicity). Only locked data count. All the counts of a release are suppressed
together in one linear system (``coiin.stats.suppression.suppress``):

* jurisdiction cells (jurisdiction x year) and their all-years totals,
* the national cells, each the sum of the jurisdictions (published as the jurisdiction
  table's totals, or as the national level),
* network cells, each the sum of the jurisdictions in that learning network,
* the strata of each of these: a jurisdiction-year's strata add up to its total (with a
  latent remainder for births outside the strata), and sum across jurisdictions and years
  like the totals, so that no stratum can be worked out as a total minus the other strata,
* numerators and denominators of a ratio in the same system, with every numerator at most
  its denominator where that holds (always for a proportion), since an intruder knows it,

so that no hidden count can be derived from another table of the same release. A level
that is not published still takes part: its cells are *latent* (always hidden), so that,
say, two published network sums cannot be subtracted to reveal a small jurisdiction count.
Latent cells with counts of ``threshold`` or more need no protection of their own.

A rate is shown only when both its numerator and its denominator are; it is flagged
unreliable when its numerator is under ``PUBLIC_UNRELIABLE_BELOW``.

The package's modules: ``rules`` (thresholds, flags, levels), ``publishing`` (what backbone
staff publish), ``data`` (the locked sums), ``tables`` (the linear system and its
suppression) and ``releases`` (a release, computed or from the cache).

The names below are imported on first use (PEP 562, by ``coiin.lazy``), as in
``coiin.stats``: a process that only reads the locked sums (``data``, e.g. the disparities
of a PDF report) does not load the suppression search and scipy with it.
"""

from typing import TYPE_CHECKING

from coiin.lazy import lazy_names

if TYPE_CHECKING:
    from .data import Base, base_data
    from .publishing import (
        publish,
        publishable,
        published_levels,
        refresh_release_task,
        unpublish,
    )
    from .releases import Computed, Release, compute_release, published_strata, release
    from .rules import (
        ALGORITHM_VERSION,
        CSV_HEADER,
        NATIONAL,
        PUBLISHABLE_TYPES,
        REST,
        SUPPRESSED,
        SYNTHETIC,
        UNRELIABLE,
        Level,
        PublishError,
        threshold,
        unreliable_below,
        whole_count,
    )
    from .tables import Suppressed, joint_table, release_table, suppress_release

_HOME = {
    "ALGORITHM_VERSION": "rules",
    "Base": "data",
    "CSV_HEADER": "rules",
    "Computed": "releases",
    "Level": "rules",
    "NATIONAL": "rules",
    "PUBLISHABLE_TYPES": "rules",
    "PublishError": "rules",
    "REST": "rules",
    "Release": "releases",
    "SUPPRESSED": "rules",
    "SYNTHETIC": "rules",
    "Suppressed": "tables",
    "UNRELIABLE": "rules",
    "base_data": "data",
    "compute_release": "releases",
    "joint_table": "tables",
    "publish": "publishing",
    "publishable": "publishing",
    "published_levels": "publishing",
    "published_strata": "releases",
    "refresh_release_task": "publishing",
    "release": "releases",
    "release_table": "tables",
    "suppress_release": "tables",
    "threshold": "rules",
    "unpublish": "publishing",
    "unreliable_below": "rules",
    "whole_count": "rules",
}


__getattr__ = lazy_names(__name__, _HOME)


__all__ = [
    "ALGORITHM_VERSION",
    "CSV_HEADER",
    "NATIONAL",
    "PUBLISHABLE_TYPES",
    "REST",
    "SUPPRESSED",
    "SYNTHETIC",
    "UNRELIABLE",
    "Base",
    "Computed",
    "Level",
    "PublishError",
    "Release",
    "Suppressed",
    "base_data",
    "compute_release",
    "joint_table",
    "publish",
    "publishable",
    "published_levels",
    "published_strata",
    "refresh_release_task",
    "release",
    "release_table",
    "suppress_release",
    "threshold",
    "unpublish",
    "unreliable_below",
    "whole_count",
]
