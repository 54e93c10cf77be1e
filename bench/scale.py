"""How the national, network, team and what-works pages grow from the demo's size to the
national target (3,000 sites × 40 measures × 72 months), served as in production.

For each size (1× the demo's volume of values, an intermediate, the target) it creates a
PostgreSQL database, builds the synthetic network into it (``coiin build_scale_network
--factor F``, printing its values/s), starts gunicorn with 2 workers (DEBUG off, static
files by WhiteNoise, as ``coiin serve``), signs in as backbone staff (and as a member of
the demo team for the team page), and times N requests of each page one after another:
p50/p95 of wall time per page, and the CPU seconds the gunicorn processes spent (from
/proc) beside the wall seconds. Then the growth of each page's p50 from the smallest size
to the target (the like-for-like baseline is the same page at 1×, measured in the same
run), and the verdict against issue 19's target: every p95 < 300 ms at the target.

    .venv/bin/python bench/scale.py --quick            # 0.2× and 1×, 10 requests: ~5 min
    .venv/bin/python bench/scale.py                    # 1×, 12×, target; 50 requests each
    .venv/bin/python bench/scale.py --factors 1,40 --requests 20 --keep

PostgreSQL at --server (default postgres://postgres@127.0.0.1:5432, trust auth), one
database per size named --db-prefix + size (default coiin_scale_1, …). A page
that has taken --budget seconds stops early (fewer requests, said so in the table).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
DEMO_PASSWORD = "coiin-demo-2026"  # noqa: S105 - the demo's published password
TARGET_MS = 300.0
PAGES = [  # (label, url, who)
    ("national", "/national/", "backbone@example.org"),
    ("network", "/networks/safe-sleep/charts/", "backbone@example.org"),
    ("team charts", "/networks/safe-sleep/ga/charts/", "member@example.org"),
    ("what works", "/what-works/", "backbone@example.org"),
]
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class PageTiming:
    page: str
    times: list[float]
    cpu: float
    wall: float
    stopped_early: bool

    def pct(self, q: float) -> float:
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


def run(cmd: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)  # noqa: S603
    if done.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def app_env(url: str, static: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COIIN_DEV", "DEBUG")}
    env.update({"DATABASE_URL": url, "COIIN_DEV": "0", "DEBUG": "0", "SECURE": "0",
                "SECRET_KEY": "bench-only-secret-key-not-for-production-use-0123456789",
                "ALLOWED_HOSTS": "127.0.0.1,localhost", "STATIC_ROOT": str(static),
                "COIIN_HOME": str(static.parent), "LOG_LEVEL": "WARNING",
                "DJANGO_SETTINGS_MODULE": "coiin.settings",
                "PYTHONPATH": str(ROOT / "src")})
    return env


def psql(server: str, sql: str) -> None:
    from urllib.parse import urlsplit

    parts = urlsplit(server)
    env = dict(os.environ, PGPASSWORD=urllib.parse.unquote(parts.password or ""))
    subprocess.run(["psql", "-h", parts.hostname or "127.0.0.1",  # noqa: S603, S607
                    "-p", str(parts.port or 5432), "-U", parts.username or "postgres",
                    "-d", "postgres", "-qc", sql], env=env, check=True, capture_output=True)


def build(server: str, name: str, factor: float | None, env: dict[str, str],
          keep: bool) -> str:
    """Create the database and build the network of this factor (None: the target);
    returns the builder's summary lines."""
    if keep and Path(ROOT / "var" / f"{name}.built").exists():
        return (ROOT / "var" / f"{name}.built").read_text()
    psql(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(server, f'CREATE DATABASE "{name}"')
    run([PYTHON, "-m", "coiin.cli", "migrate", "-v0"], env)
    args = [] if factor is None else ["--factor", str(factor)]
    out = run([PYTHON, "-m", "coiin.cli", "build_scale_network", *args], env)
    (ROOT / "var").mkdir(exist_ok=True)
    (ROOT / "var" / f"{name}.built").write_text(out)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict[str, str], port: int) -> subprocess.Popen:
    proc = subprocess.Popen(  # noqa: S603 - fixed argv
        [PYTHON, "-m", "gunicorn", "coiin.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--timeout", "600"], env=env, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300  # a busy machine starts Django slowly
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=30)  # noqa: S310
            return proc
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"gunicorn stopped: {proc.stderr.read().decode()}") from None
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("gunicorn did not answer within 300 s")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children (the gunicorn workers), from /proc."""
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    total = 0
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def signed_in(base: str, email: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "no CSRF token on the sign-in page"
    data = urllib.parse.urlencode({"login": email, "password": DEMO_PASSWORD,
                                   "csrfmiddlewaretoken": token.group(1)}).encode()
    request = urllib.request.Request(f"{base}/accounts/login/", data=data,  # noqa: S310
                                     headers={"Referer": f"{base}/accounts/login/"})
    response = opener.open(request, timeout=30)
    if "/accounts/login" in response.geturl():
        raise SystemExit(f"could not sign in as {email}")
    return opener


def time_page(opener, url: str, requests: int, budget: float, pid: int) -> PageTiming:
    opener.open(url, timeout=900).read()  # warm: templates, connections, caches
    times: list[float] = []
    cpu0, wall0 = cpu_seconds(pid), time.perf_counter()
    while len(times) < requests:
        start = time.perf_counter()
        response = opener.open(url, timeout=900)
        response.read()
        times.append(time.perf_counter() - start)
        assert response.status == 200, (url, response.status)
        if time.perf_counter() - wall0 > budget and len(times) >= 3:
            break
    return PageTiming(url, times, cpu_seconds(pid) - cpu0, time.perf_counter() - wall0,
                      len(times) < requests)


def measure(label: str, factor: float | None, args, static: Path) -> tuple[str, list]:
    name = f"{args.db_prefix}{label.replace('.', '_').replace('×', 'x')}"
    url = f"{args.server.rstrip('/')}/{name}"
    env = app_env(url, static)
    built = build(args.server, name, factor, env, args.keep)
    run([PYTHON, "-m", "coiin.cli", "collectstatic", "--noinput", "-v0"], env)
    port = free_port()
    proc = start_gunicorn(env, port)
    base = f"http://127.0.0.1:{port}"
    try:
        openers = {who: signed_in(base, who) for _, _, who in PAGES}
        timings = [time_page(openers[who], base + path, args.requests, args.budget, proc.pid)
                   for _, path, who in PAGES]
    finally:
        proc.terminate()
        proc.wait(30)
    return built, timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", default="1,12,target",
                        help="sizes in multiples of the demo's volume; 'target' is the full "
                             "3,000 × 40 × 72")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--budget", type=float, default=300.0,
                        help="seconds per page and size before stopping early")
    parser.add_argument("--quick", action="store_true",
                        help="0.2× and 1×, 10 requests (30 s at most) a page: checks the "
                             "benchmark runs")
    parser.add_argument("--keep", action="store_true",
                        help="reuse databases built by an earlier run (var/*.built)")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--db-prefix", default="coiin_scale_",
                        help="each size is built into its own database named PREFIX + size "
                             "(dropped and created again unless --keep)")
    args = parser.parse_args()
    if args.quick:
        args.factors, args.requests, args.budget = "0.2,1", 10, 30.0
    labels = [f.strip() for f in args.factors.split(",") if f.strip()]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        static = Path(tmp) / "static"
        for label in labels:
            factor = None if label == "target" else float(label)
            print(f"\n== {label}{'' if label == 'target' else '×'} ==", flush=True)
            built, timings = measure(label, factor, args, static)
            for line in built.splitlines():
                print("  builder:", line)
            results.append((label, timings))
            report_size(timings)
    report_growth(results, args.quick)
    return 0


def report_size(timings: list[PageTiming]) -> None:
    print(f"  {'page':<12} {'n':>3} {'p50 ms':>9} {'p95 ms':>9} {'wall s':>8} {'CPU s':>8}")
    for (label, _, _), t in zip(PAGES, timings, strict=True):
        more = "  (budget reached)" if t.stopped_early else ""
        print(f"  {label:<12} {len(t.times):>3} {t.pct(0.5):>9.1f} {t.pct(0.95):>9.1f} "
              f"{t.wall:>8.2f} {t.cpu:>8.2f}{more}", flush=True)


def report_growth(results: list[tuple[str, list[PageTiming]]], quick: bool) -> None:
    if not results:
        return
    (first, base), (last, top) = results[0], results[-1]
    print(f"\ngrowth of p50 from {first} to {last} (same run, same machine):")
    met = True
    for (label, _, _), b, t in zip(PAGES, base, top, strict=True):
        ok = t.pct(0.95) < TARGET_MS
        met &= ok
        print(f"  {label:<12} {t.pct(0.5) / b.pct(0.5):6.2f}×   p95 at {last}: "
              f"{t.pct(0.95):8.1f} ms {'< 300 ms' if ok else '>= 300 ms'}")
    if quick or last != "target":
        print(f"verdict: not judged (the largest size measured is {last}, not the target)")
    else:
        print(f"verdict (every p95 < 300 ms at the target): {'MET' if met else 'NOT met'}")


if __name__ == "__main__":
    raise SystemExit(main())
