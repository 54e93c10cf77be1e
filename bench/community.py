"""Community feed and search response times with 100,000 posts on SQLite.

Builds a throwaway SQLite database with the reference network, a team per learning network
for Georgia, a few people and N posts (bulk_create; the FTS5 index is filled by its
triggers and then optimised), then times, as a team member of Georgia Safe Sleep:

* the feed page (/community/, 20 posts a page), first page and a deep page,
* a space page,
* a search (/community/search/?q=...) and the search function alone,

each the median of several runs, and prints the number of queries of the feed page with
10 and with 50 posts on it, which must be equal.

    .venv/bin/python bench/community.py [--posts 100000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

WORDS = ("safe sleep crib audit night shift nurse education sleep sack smoking quitline "
         "referral postpartum visit medicaid coverage doula community health worker "
         "preterm birth progesterone elective delivery level of care transport hospital "
         "run chart baseline shift trend data lead team faculty learning session pdsa "
         "change idea measure county rate equity stratified payer").split()


def setup_django(db_path: Path) -> None:
    os.environ["COIIN_DEV"] = "1"
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coiin.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)


def build(n_posts: int):
    import datetime as dt
    import random

    from django.db import connection, transaction
    from django.utils import timezone

    from coiin.community import services
    from coiin.community.models import Post, PostSpace, SearchDocument, Space
    from coiin.demo.network import load_reference
    from coiin.network import services as network
    from coiin.network.models import FacultyAssignment, TeamMembership, User

    jurisdictions, networks = load_reference()
    teams = [network.join_network(jurisdiction=jurisdictions[code], learning_network=n)
             for code, n in zip(["GA", "OH", "TX", "CA", "NY", "FL"], networks.values(),
                                strict=False)]
    reader = User.objects.create_user(email="reader@example.org", password="x" * 12,
                                      first_name="Rea", last_name="Der")
    network.add_member(team=teams[0], user=reader, role=TeamMembership.Role.MEMBER)
    authors = [User.objects.create_user(email=f"author{i}@example.org", first_name="Au",
                                        last_name=f"Thor{i}") for i in range(20)]
    for i, team in enumerate(teams):
        network.add_member(team=team, user=authors[i], role=TeamMembership.Role.LEAD)
    FacultyAssignment.objects.create(learning_network=teams[0].learning_network,
                                     user=authors[10])
    services.ensure_spaces()
    spaces = list(Space.objects.all())
    rng = random.Random(11)
    start = timezone.now() - dt.timedelta(days=3 * 365)
    step = dt.timedelta(days=3 * 365) / n_posts
    kinds = list(Post.Kind.values)
    t0 = time.perf_counter()
    batch = 5000
    with transaction.atomic():
        for offset in range(0, n_posts, batch):
            posts = []
            for i in range(offset, min(offset + batch, n_posts)):
                words = rng.choices(WORDS, k=rng.randint(30, 120))
                title = " ".join(rng.choices(WORDS, k=6)).capitalize()
                body = " ".join(words) + "."
                posts.append(Post(kind=rng.choice(kinds), title=title, body=body,
                                  body_html=f"<p>{body}</p>", author=rng.choice(authors),
                                  space=rng.choice(spaces), created_at=start + step * i,
                                  updated_at=start + step * i))
            Post.objects.bulk_create(posts, batch_size=1000)
            PostSpace.objects.bulk_create(
                [PostSpace(post=p, space_id=p.space_id, created_at=p.created_at)
                 for p in posts], batch_size=1000)
            SearchDocument.objects.bulk_create(
                [SearchDocument(kind="post", post=p, title=p.title, body=p.body,
                                created_at=p.created_at) for p in posts], batch_size=1000)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO community_search_fts(community_search_fts) "
                           "VALUES ('optimize')")
            cursor.execute("ANALYZE")
    print(f"built {n_posts:,} posts (+ placements + search index) in "
          f"{time.perf_counter() - t0:.1f} s")
    return reader, next(s for s in spaces if s.team_id == teams[0].pk)


def median_ms(fn, repeat: int) -> float:
    fn()  # warm up
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(Path(tmp) / "bench.sqlite3")
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from coiin.community import search

        reader, space = build(args.posts)
        client = Client()
        client.force_login(reader)

        def get(url):
            def run():
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
            return run

        def queries(url: str) -> int:
            with CaptureQueriesContext(connection) as ctx:
                get(url)()
            return len(ctx)

        rows = [
            ("feed, page 1 (20 posts)", median_ms(get("/community/"), args.repeat)),
            ("feed, page 500", median_ms(get("/community/?page=500"), args.repeat)),
            ("space page (team)", median_ms(get(space.get_absolute_url()), args.repeat)),
            ("search page 'crib audit'",
             median_ms(get("/community/search/?q=crib+audit"), args.repeat)),
            ("search page 'doula medicaid postpartum'",
             median_ms(get("/community/search/?q=doula+medicaid+postpartum"), args.repeat)),
            ("search() alone 'crib audit'",
             median_ms(lambda: search.search(reader, "crib audit"), args.repeat)),
        ]
        print(f"\n{'what':<42}{'median ms':>10}   ({args.repeat} runs, {args.posts:,} posts)")
        for name, ms in rows:
            print(f"{name:<42}{ms:>10.1f}")
        q10 = queries("/community/?per_page=10")
        q50 = queries("/community/?per_page=50")
        print(f"\nqueries for a feed page: 10 posts → {q10}, 50 posts → {q50} "
              f"({'constant' if q10 == q50 else 'GROWS'})")


if __name__ == "__main__":
    main()
