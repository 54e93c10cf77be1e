"""What works: the effect of adopting a change idea, estimated against comparison teams.

``estimate_effect`` takes a team × period panel of one measure and each team's first period
of adoption of one idea, and returns the average effect of adopting among the adopters
(ATT) in the measure's own units, its interval, an event study (−12 … +24 periods), a
pre-adoption trend test, the numbers of adopting and comparison teams and a verdict.
``adjust_for_many`` controls the false discovery rate across the estimates of a page.

Method (our own numpy implementation, checked against the csdid package):

- **Group-time effects** (Callaway & Sant'Anna 2021) — never a two-way fixed-effects
  regression, which weighs already-adopted teams as comparisons and can even flip the sign
  when effects vary over time. For each adoption cohort g and period t, ATT(g, t) is the
  cohort's mean change from its baseline minus the mean change, from the same baseline
  periods, of the comparison teams: those not yet adopted at t (nor within ``skip`` periods
  of adopting) plus those that never adopt. Cells with fewer than 3 comparison teams are
  left out. The event study averages ATT(g, g+e) over cohorts weighted by cohort size; the
  overall estimate averages every adopter-period from adoption to +``lags`` ("simple"
  aggregation); ``sustained`` judges the average over 12 or more periods after adoption.
- **Baseline**: not the single period before adoption. Teams adopt right after a bad spell
  and drift back by chance; the baseline is each team's mean over ``baseline`` = 9 periods
  ending ``skip`` = 3 periods before adoption (at least 3 reported). The skipped periods
  are still shown in the event study and tested (``transition_p``): a significant move
  there is a caution in ``reason``, not an effect. The 9-period mean also makes intervals
  30–65 % narrower than a single base period on three simulated networks.
- **Pre-trends**: the event-study leads before the skipped periods (−12 … −4), averaged in
  bins of 3, tested jointly zero with the teams' influence-function covariance (the exact
  covariance of the multiplier bootstrap) as Hotelling's T² (F test, adopters as clusters).
  A test of the 9 leads one by one has almost no power with 10–20 adopters. p < 1 − level:
  verdict ``pretrend``, whatever the estimate.
- **Inference clustered by team**: every parameter is linear in the data, so each team's
  influence function is exact (a ratio estimator over the adopters' team-periods plus its
  part in the comparison means), scaled by √(N/(N−1)). A multiplier bootstrap over teams
  (Mammen weights, ``n_boot`` draws, drawn once per seed and team count) gives the
  standard errors (interquartile range / 1.349) and the critical value of the event
  study's **simultaneous** (sup-t) band. The overall and sustained intervals and p-values
  are **pointwise**, from Student's t with (adopters − 1) degrees of freedom: with the
  normal, intervals covered the truth 91.5–93.5 % of the time, with t 93.5–95 %.
- **Proportions**: a team-period's rate is numerator / denominator; teams and periods
  weigh equally (unweighted by denominators), so a large team does not stand for the
  network and the estimate is in the measure's units (a proportion).
- **Verdicts**: ``not_enough_data`` when fewer than 3 adopters can be compared (adopted
  too early for a baseline, or never followed with comparison teams) or fewer than 3
  comparison teams — the reason gives the numbers; then ``pretrend``; then
  ``improvement`` / ``worsening`` when the interval is wholly on the good / bad side;
  else ``no_evidence``. ``adjust_for_many`` applies Benjamini–Hochberg to the p-values of
  a page (every estimate with one is a test) and demotes an improvement or worsening whose
  q-value exceeds q to ``no_evidence``; it does not shrink estimates.

Agreement with csdid 0.4.3 (``bench/what_works_csdid.py``; csdid installed in a scratch
environment only, not a dependency). With ours set to csdid's single base period
(``baseline=1``), not-yet-treated comparison, outcome regression, on 3 simulated networks ×
2 ideas × with and without 3 anticipation periods: overall ATT ("simple") equal to the 5
digits printed in all 12 cases (e.g. 0.06841 and 0.06841, −0.00751 and −0.00751); every
event-study point equal to 1e-15 without anticipation; with 3 anticipation periods the
post-adoption points are equal and the leads
differ by at most 0.0044 (csdid re-selects comparison teams at each lead, we keep the
baseline's); standard errors within 13 % over two runs, as close as csdid's own two runs
(its bootstrap is unseeded; 999 draws in both, its errors moved up to 12 %). We keep our own
implementation because csdid has no pre-period window baseline, needs pandas (the pure
layer has numpy/scipy only) and took 0.7–1.2 s of CPU per estimate against our 0.02–0.2 s
on the same wide event-time grid (about 0.004 s at −12 … +24 with 999 draws:
``bench/what_works.py``).

Validation (``bench/what_works_validation.py``, 200 simulated networks of 40–60 teams ×
60–72 months with a secular improvement; ``simulate.py``): the true +8-point effect is
called an improvement in 94.0 % and its interval covers it in 95.0 %; the null adopted at
random is called an improvement in 3.0 % (worsening 3.0 %); the null adopted after a bad
spell by chance in 0.5 % (worsening 5.0 %). A null adopted after a month 2 SD below the
team's own previous year is never called an improvement but is called worsening in 66 %:
that rule also picks teams whose previous year was luckily good, so their baseline is
biased the good way, which no difference-in-differences design can undo (the caution in
``reason`` flags the pre-adoption move). The old per-team chart reading, on the same
networks, read 40–44 % of the nulls' adopters as "sustained improvement" (70 % of the true
effect's); counting an idea as working when most of its adopters are "sustained", it called
the nulls improvements in 13 %, 28 % and 10.5 % (the true effect 97 %). Another 200 networks
(``--seed 15``): 95.5 % improvement, 93.5 % covered; nulls 1.0 %, 0.5 % and 0 %.
"""

from .estimator import SUSTAINED_FROM, Panel, build_panel, estimate_effect
from .model import Estimate, EventPoint, Observation, Verdict, adjust_for_many
from .reasons import CODES, Reason, english

__all__ = [
    "CODES",
    "SUSTAINED_FROM",
    "Estimate",
    "EventPoint",
    "Observation",
    "Panel",
    "Reason",
    "Verdict",
    "adjust_for_many",
    "build_panel",
    "english",
    "estimate_effect",
]
