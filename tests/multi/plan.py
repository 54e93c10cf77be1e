"""The network the two-machine test runs on, made in the test's own PostgreSQL database by
a separate process (``python -m tests.multi.plan``, DATABASE_URL set), which prints the
plan of the simulated month end as JSON.

``TEAMS`` teams, each reporting two ratio measures, and two data leads per team. In most
teams one lead enters last month and the other the month before (kept open by an
exception granted by backbone staff, as for a late team); some of the second leads upload a
CSV instead, which goes to the task workers. In ``PAIRS`` teams both leads open last
month's form at the same moment, on purpose: one of them must meet an edit conflict.
Everyone has a session in the database (as people who signed in earlier in the day); a few
also sign in through the sign-in page during the test.

The suite's month end has 40 teams (80 leads, 24 of them at a time); issue 19's full size,
150 teams and 300 leads, is bench/month_end.py, which runs the same test with
``MONTH_END_TEAMS=150`` (read here, by the test and by this process alike).
"""

from __future__ import annotations

import json
import os

TEAMS = int(os.environ.get("MONTH_END_TEAMS", "40"))
PAIRS = max(2, TEAMS // 10)  # teams whose two leads edit the same period at once
IMPORTERS = TEAMS // 5  # second leads who upload a CSV instead of using the form
SIGN_INS = 6  # leads who also sign in through the page
PASSWORD = "multi-machine-password-42"  # noqa: S105 - a throwaway test database


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coiin.settings")
    import django

    django.setup()
    print(json.dumps(build()))


def build() -> dict:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction
    from django.utils import timezone

    from coiin.demo.network import load_reference
    from coiin.measures import services as reporting
    from coiin.measures.models import Measure
    from coiin.measures.periods import Frequency, Period
    from coiin.network import services
    from coiin.network.models import TeamMembership, User

    today = timezone.localdate()
    last = Period.containing(today, Frequency.MONTHLY).previous()
    before = last.previous()
    with transaction.atomic():
        jurisdictions, networks = load_reference()
        measures = [Measure.objects.create(
            code=code, name=f"Two-machine test measure {code}", level="pilot_process",
            type="ratio", multiplier=100, frequency="monthly", data_source="test",
            source="tests/multi") for code in ("MM-A", "MM-B")]
        backbone = User.objects.create_user(email="backbone@multi.test",
                                            network_role=User.NetworkRole.BACKBONE)
        hashed = make_password(PASSWORD)  # once: Argon2 is slow on purpose
        order = sorted(jurisdictions.values(), key=lambda j: j.postal_code)
        slots = [(j, n) for k in range(3) for j in order
                 for n in [list(networks.values())[(j.pk + k) % len(networks)]]]
        clients, teams = [], []
        for t, (jurisdiction, network) in enumerate(slots[:TEAMS]):
            team = services.join_network(jurisdiction=jurisdiction, learning_network=network)
            reporting.choose_measures(team=team, measures=measures)
            base = {"slug": network.slug, "postal": jurisdiction.postal_code.lower(),
                    "team_id": team.pk, "code": jurisdiction.postal_code}
            pair = t < PAIRS
            if not pair:
                late = reporting.submission_for(team, before)
                reporting.grant_exception(submission=late, user=backbone,
                                          until=today + timezone.timedelta(days=30),
                                          reason="late team (two-machine test)")
            for lead in (0, 1):
                n = 2 * t + lead
                user = User.objects.create_user(email=f"lead{n:03d}@multi.test",
                                                first_name="Lead", last_name=f"{n:03d}")
                if n < SIGN_INS:
                    user.password = hashed
                    user.save(update_fields=["password"])
                services.add_member(team=team, user=user, role=TeamMembership.Role.DATA_LEAD)
                session = SessionStore()
                session[SESSION_KEY] = str(user.pk)
                session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
                session[HASH_SESSION_KEY] = user.get_session_auth_hash()
                session.create()
                period = last if (pair or lead == 0) else before
                kind = "pair" if pair else "import" if lead == 1 and t - PAIRS < IMPORTERS \
                    else "form"
                # One rate a team (no month-to-month jump to confirm); a number per lead.
                size = 40 + t % 50
                rate = 0.3 + (t % 7) / 10
                clients.append({**base, "n": n, "email": user.email, "kind": kind,
                                "session": session.session_key, "period": period.label,
                                "values": {"MM-A": [round(size * rate) + lead, size + lead],
                                           "MM-B": [round(size * rate / 2), size]},
                                "sign_in": n < SIGN_INS, "lead": lead})
            teams.append(team.pk)
    return {"clients": clients, "teams": teams, "last": last.label, "before": before.label,
            "password": PASSWORD}


if __name__ == "__main__":
    main()
