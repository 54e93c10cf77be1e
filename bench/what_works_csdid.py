"""Agreement of coiin.stats.whatworks with the csdid package (Callaway & Sant'Anna 2021).

csdid is not a project dependency: install it into a scratch environment
(``pip install csdid``) to run this. On a few simulated networks (coiin.stats.whatworks
.simulate), both estimate group-time effects against not-yet-adopted teams with the same
single base period (ours with ``baseline=1``: csdid has no pre-period window), outcome
regression without covariates, and aggregate them to the overall effect ("simple") and
the event study ("dynamic"). Prints both overall estimates and standard errors, and the
largest event-study difference.

    nice -n 10 .venv/bin/python bench/what_works_csdid.py [--networks 4]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import time
import warnings
from pathlib import Path

import numpy as np

try:
    from coiin.stats.whatworks import estimate_effect
except ImportError:  # running from a checkout without an installed package
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from coiin.stats.whatworks import estimate_effect
from coiin.stats.whatworks.simulate import simulate_network


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--networks", type=int, default=4)
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args()
    try:
        import pandas as pd
        from csdid.att_gt import ATTgt
    except ImportError:
        print("csdid is not installed (pip install csdid into a scratch environment)")
        return 1
    warnings.simplefilter("ignore")
    rng = np.random.default_rng(args.seed)
    print(f"{'net':>4}{'idea':>13}{'anticip.':>9}{'ours ATT':>11}{'csdid ATT':>11}"
          f"{'ours SE':>9}{'csdid SE':>10}{'max |Δ| event':>15}{'ours s':>8}{'csdid s':>9}")
    for k in range(args.networks):
        net = simulate_network(rng)
        n, months = net.numerator.shape
        for idea in ("effect", "null_random"):
            adoption = net.adoption[idea]
            for skip in (0, 3):
                t0 = time.process_time()
                ours = estimate_effect(net.observations(), adoption, direction="up", leads=60,
                                       lags=80, baseline=1, skip=skip, min_pre=1, n_boot=999)
                t_ours = time.process_time() - t0
                frame = pd.DataFrame({
                    "id": np.repeat(np.arange(n), months), "t": np.tile(np.arange(months), n) + 1,
                    "y": net.rate.ravel(),
                    "g": np.repeat([0 if adoption[i] is None else adoption[i] + 1
                                    for i in range(n)], months)})
                t0 = time.process_time()
                fit = ATTgt(yname="y", tname="t", idname="id", gname="g", data=frame,
                            control_group="notyettreated", anticipation=skip,
                            biters=999).fit(est_method="reg", base_period="universal")
                # aggte prints a summary and keeps its result on the fitted object (each
                # call replaces the last), so read each aggregation before the next.
                with contextlib.redirect_stdout(io.StringIO()):
                    simple = fit.aggte(typec="simple").atte
                    cs_att = float(np.ravel(simple["overall_att"])[0])
                    cs_se = float(np.ravel(simple["overall_se"])[0])
                    dynamic = fit.aggte(typec="dynamic").atte
                    cs_es = dict(zip(np.asarray(dynamic["egt"]).astype(int),
                                     np.asarray(dynamic["att_egt"]), strict=True))
                t_cs = time.process_time() - t0
                ours_es = {p.event_time: p.estimate for p in ours.event_study}
                common = [e for e in ours_es if e in cs_es and np.isfinite(cs_es[e])]
                gap = max(abs(ours_es[e] - cs_es[e]) for e in common)
                print(f"{k:>4}{idea:>13}{skip:>9}{ours.estimate:>11.5f}{cs_att:>11.5f}"
                      f"{ours.se:>9.5f}{cs_se:>10.5f}{gap:>15.2e}{t_ours:>8.2f}{t_cs:>9.2f}",
                      flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
