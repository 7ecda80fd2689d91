"""API latency with a million events: p50/p95/p99 of /api/series and /api/events against a running server.

Usage::

    .venv/bin/python benchmarks/api_latency.py [--events 1000000] [--db FILE] [--requests 200]

It builds a synthetic store of ``--events`` events (``--db``, default a file in a temporary folder; an
existing file with enough events is reused), starts ``flashpoint serve`` on a free port of 127.0.0.1
in a subprocess, and times requests from one client over a kept-alive connection, one at a time, as a
dashboard user makes them:

- ``/api/events``: a first page (50 events) under a filter that a user sets: a dyad and a date range,
  an actor and an event type, a country and a quad class, a bounding box, a word of the evidence;
- ``/api/series``: the daily and weekly series of the busiest dyads (the dyad explorer), and the
  overall series. Each distinct series is asked for several times in a shuffled order, as the explorer
  does when a user switches dyads, once the server has cached the busiest ones (its start-up warm-up);
  the series of rarer dyads, which the first click computes, are reported apart ("not cached").

The synthetic events follow a skewed (Zipf-like) choice of 40 actor codes, 16 PLOVER types, five years
of dates, 60% located at one of 300 places, as the real store writes them (same schema, via Store).
The budget is a p95 under 100 ms for both routes; the last line says whether it was met, and the exit
status is 1 when it was not.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from flashpoint.store import Store

BUDGET_MS = 100.0  # p95 target for each route
ARTICLES_PER_EVENT = 0.1  # ten events an article: a busy wire story
DAYS = 1826  # five years of dates, 2010-2014
N_CODES = 40
N_PLACES = 300
TYPES = (
    ("AGREE", 1, 2.5), ("CONSULT", 1, 2.5), ("SUPPORT", 1, 5.0), ("CONCEDE", 1, 4.5), ("COOPERATE", 2, 9.5),
    ("AID", 2, 10.0), ("RETREAT", 2, 6.5), ("REQUEST", 3, 0.0), ("ACCUSE", 3, -3.0), ("REJECT", 3, -2.0),
    ("THREATEN", 3, -3.5), ("PROTEST", 4, -5.0), ("SANCTION", 4, -6.0), ("MOBILIZE", 4, -5.5),
    ("COERCE", 4, -7.0), ("ASSAULT", 4, -9.0),
)  # fmt: skip
CODES = (
    "RUS UKR USA GBR FRA DEU POL CHN IRN ISR PSE SYR IRQ AFG PAK IND TUR EGY SAU YEM LBY SDN SSD NGA KEN "
    "SOM ETH COD MLI VEN COL MEX BRA JPN PRK KOR IGO UNO EUR NGO"
).split()
# one actor record as the store writes it, as a SQL string literal for printf()
ACTOR_JSON = '\'[{"code": "%s", "entity_name": "%s", "entity_text": "%s", "sector": "GOV"}]\''
SERVER_START_S = 120  # a server that does not answer /api/health in this long has failed
WARMUP_S = 600  # the longest the benchmark waits for the series warm-up


def build_store(path: str, n_events: int, seed: int = 7) -> None:
    """A store of ``n_events`` synthetic events written by SQL in one transaction (about 10 s for 1M)."""
    n_articles = max(1, int(n_events * ARTICLES_PER_EVENT))
    codes = ", ".join(f"'{code}'" for code in CODES)
    pick_code = (
        f"list_value({codes})[1 + CAST(floor(pow(random(), 2.2) * {N_CODES}) AS INTEGER)]"  # Zipf-like
    )
    types = ", ".join(f"('{name}', {quad}, {score})" for name, quad, score in TYPES)
    with Store(path) as store:
        con = store.con
        con.execute("SET enable_progress_bar = false")
        con.execute("SELECT setseed(?)", [seed / 100])
        con.execute("BEGIN")
        con.execute(
            """
            INSERT INTO articles
                (story_id, date, title, source, url, text, text_hash, location, ingested_at, identity)
            SELECT 'syn-' || i, DATE '2010-01-01' + CAST(i * ? / ? AS INTEGER), 'Synthetic story ' || i,
                   'synthetic wire', NULL, 'Synthetic story ' || i || '. Officials met and disagreed.',
                   md5('syn-' || i), 'synthetic', now()::TIMESTAMP, md5('syn-' || i)
            FROM range(?) t(i)
            """,
            [DAYS, n_articles, n_articles],
        )
        con.execute(
            f"""
            CREATE TEMP TABLE picks AS
            SELECT i,
                   {pick_code} AS actor_code,
                   CASE WHEN random() < 0.8
                        THEN {pick_code} END
                        AS recipient_code,
                   1 + CAST(floor(random() * 16) AS INTEGER) AS type_index,
                   CAST(floor(random() * ?) AS INTEGER) AS article,
                   CASE WHEN random() < 0.6
                        THEN CAST(floor(pow(random(), 1.5) * {N_PLACES}) AS INTEGER) END AS place,
                   random() AS r1, random() AS r2
            FROM range(?) t(i)
            """,
            [n_articles, n_events],
        )
        con.execute(
            f"""
            INSERT INTO events (id, story_id, date, date_precision, event, mode, context, modality, quad_code,
                event_scale, actor, recipient, actor_code, actor_sector, recipient_code, recipient_sector,
                event_loc, loc_name, geonameid, lat, lon, loc_country, event_text, text_info, sentence,
                confidence, num_mentions, run_id)
            SELECT substr(md5('event' || p.i), 1, 20), 'syn-' || p.article,
                   DATE '2010-01-01' + CAST(p.article * {DAYS} / ? AS INTEGER) - CAST(p.r2 * 2 AS INTEGER),
                   CASE WHEN p.r1 < 0.7 THEN 'day' WHEN p.r1 < 0.9 THEN 'story' ELSE 'month' END,
                   t.name, NULL, [], CASE WHEN p.r2 < 0.85 THEN 'asserted' ELSE 'future' END, t.quad, t.score,
                   printf({ACTOR_JSON}, p.actor_code, p.actor_code, p.actor_code),
                   CASE WHEN p.recipient_code IS NULL THEN '[]'
                        ELSE printf({ACTOR_JSON}, p.recipient_code, p.recipient_code, p.recipient_code) END,
                   p.actor_code, 'GOV', p.recipient_code,
                   CASE WHEN p.recipient_code IS NOT NULL THEN 'GOV' END,
                   CASE WHEN p.place IS NOT NULL THEN '{{"resolved_place": "Place ' || p.place || '"}}' END,
                   CASE WHEN p.place IS NOT NULL THEN 'Place ' || p.place END,
                   p.place, CASE WHEN p.place IS NOT NULL THEN -50 + (p.place * 37) % 110 END,
                   CASE WHEN p.place IS NOT NULL THEN -170 + (p.place * 71) % 340 END,
                   CASE WHEN p.place IS NOT NULL THEN p.actor_code END,
                   lower(t.name),
                   '{{"sentence": 0, "start": 0, "end": 20, "text": "Synthetic story ' || p.article || '."}}',
                   p.actor_code || ' officials ' || lower(t.name) || ' '
                       || coalesce(p.recipient_code, 'someone')
                       || ' near place ' || coalesce(CAST(p.place AS VARCHAR), 'unknown'),
                   0.75, 1, 'synthetic'
            FROM picks p JOIN (SELECT * FROM (VALUES {types}) v(name, quad, score)) t
                 ON t.name = list_value({", ".join(f"'{name}'" for name, _, _ in TYPES)})[p.type_index]
            """,
            [n_articles],
        )
        con.execute("COMMIT")
        con.execute("CHECKPOINT")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(db: str, port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "flashpoint.cli", "serve", "--db", db, "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped: {server.stderr.read().decode() if server.stderr else ''}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).raise_for_status()
            return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not answer in time")


def wait_for_warmup(port: int) -> None:
    """Time a server as it runs after start-up: once it has cached the busiest dyads' series."""
    deadline = time.monotonic() + WARMUP_S
    while time.monotonic() < deadline:
        health = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=5).json()
        if health["series_cache"]["warm"]:
            return
        time.sleep(0.5)
    print(f"warning: the series warm-up did not finish in {WARMUP_S} s; timing anyway")


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    cuts = statistics.quantiles(ordered, n=100, method="inclusive")
    return statistics.median(ordered), cuts[94], cuts[98]


def timed(client: httpx.Client, url: str, params: dict[str, str]) -> float:
    began = time.perf_counter()
    response = client.get(url, params=params)
    elapsed = (time.perf_counter() - began) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url} {params} answered {response.status_code}: {response.text[:300]}")
    return elapsed


def event_filters(client: httpx.Client) -> dict[str, list[dict[str, str]]]:
    """Filter sets a dashboard user applies, by kind."""
    dyads = client.get("/api/dyads", params={"limit": "10"}).json()["dyads"]
    return {
        "dyad + half a year": [
            {"dyad": row["dyad"], "date_from": f"{2010 + k % 5}-01-01", "date_to": f"{2010 + k % 5}-06-30"}
            for k, row in enumerate(dyads)
        ],
        "actor + type": [{"actor": code, "type": TYPES[k % 16][0]} for k, code in enumerate(CODES[:10])],
        "country + quad": [{"country": code, "quad": str(1 + k % 4)} for k, code in enumerate(CODES[:10])],
        "bounding box": [{"bbox": "-10,35,40,60"}, {"bbox": "20,40,50,60", "date_from": "2013-01-01"}],
        "quad, newest first": [{"quad": str(quad), "order": "desc"} for quad in (1, 2, 3, 4)],
        "text in the evidence": [{"text": "sanction"}, {"text": "assault", "actor": "RUS"}],
    }


def run(base: str, n_requests: int, seed: int) -> dict[str, list[float]]:
    rng = random.Random(seed)
    results: dict[str, list[float]] = {"events": [], "series": []}
    with httpx.Client(base_url=base, timeout=60) as client:
        filters = event_filters(client)
        ranked = [row["dyad"] for row in client.get("/api/dyads", params={"limit": "40"}).json()["dyads"]]
        series = [{"dyad": dyad, "freq": freq} for dyad in ranked[:10] for freq in ("day", "week")]
        series += [{"freq": "week"}, {"freq": "day"}]
        for _ in range(n_requests):
            kind = rng.choice(sorted(filters))
            elapsed = timed(client, "/api/events", {**rng.choice(filters[kind]), "page_size": "50"})
            results["events"].append(elapsed)
            results.setdefault(f"  events: {kind}", []).append(elapsed)
            results["series"].append(timed(client, "/api/series", rng.choice(series)))
        # dyads the warm-up did not compute: what a first click on a rarer dyad costs
        results["series, not cached"] = [
            timed(client, "/api/series", {"dyad": dyad}) for dyad in ranked[25:40]
        ]
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--db", help="store file (built when missing or smaller than --events)")
    parser.add_argument("--requests", type=int, default=200, help="requests per route")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--wait-warmup", type=float, default=0.0, help="seconds to wait after start before timing"
    )
    args = parser.parse_args()

    db = args.db or os.path.join(tempfile.mkdtemp(prefix="flashpoint-bench-"), "bench.duckdb")
    held = 0
    if Path(db).exists():
        with Store(db, read_only=True) as store:
            held = store.counts().get("events", 0)
    if held < args.events:
        Path(db).unlink(missing_ok=True)
        began = time.perf_counter()
        build_store(db, args.events)
        print(f"built {db}: {args.events:,} events in {time.perf_counter() - began:.1f} s")
    else:
        print(f"reusing {db}: {held:,} events")

    port = free_port()
    began = time.perf_counter()
    server = start_server(db, port)
    print(f"server up in {time.perf_counter() - began:.1f} s on 127.0.0.1:{port}")
    try:
        began = time.perf_counter()
        wait_for_warmup(port)
        print(f"series warm-up (busiest dyads cached) done {time.perf_counter() - began:.1f} s later")
        results = run(f"http://127.0.0.1:{port}", args.requests, args.seed)
    finally:
        server.terminate()
        server.wait(timeout=30)

    print(f"\n{'route':<28} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'p95/budget':>11}")
    met = True
    for route, samples in results.items():
        if len(samples) < 2:
            continue
        p50, p95, p99 = percentiles(samples)
        print(f"{route:<28} {len(samples):>5} {p50:>8.1f} {p95:>8.1f} {p99:>8.1f} {p95 / BUDGET_MS:>10.2f}x")
        if route in ("events", "series"):
            met = met and p95 < BUDGET_MS
    print(f"\np95 under {BUDGET_MS:.0f} ms for /api/events and /api/series: {'yes' if met else 'NO'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
