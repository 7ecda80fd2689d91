"""Corpus throughput: flashpoint's engine against spaCy parsing the same stories, and Dask scaling.

    python benchmarks/throughput.py CORPUS [--limit N] [--workers N] [--dask] [--phases ...]

Each measurement runs in a fresh child process (so one phase's memory never counts in another's):

- ``spacy``:      the same model (Settings().model) alone, ``nlp.pipe`` over the same texts with the
                  coder's batch size and ``n_process=N``;
- ``flashpoint``: the engine's local runner with N processes mapping the coder (model + actors, dates,
                  places, events) over batches, as ``flashpoint ingest --workers N`` does (no store);
- ``dask1``/``dask2`` (with ``--dask``): the Dask runner on a LocalCluster of 1 and 2 worker processes.

Model loading and worker start-up are outside the timed part for flashpoint and Dask (workers load the
model before the clock starts); spaCy's ``n_process`` workers are forked from a process that already
holds the model. Printed: articles/s, words/s and peak RSS per worker for each phase, the ratio
flashpoint ÷ spaCy, the Dask 2-worker ÷ 1-worker speed-up, and the load average before and after
(other work on the machine slows a phase down; note it with the numbers).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from typing import Any

from flashpoint.config import Settings
from flashpoint.errors import ItemError
from flashpoint.ingest import read_inputs
from flashpoint.records import Article

KIB = 1024  # ru_maxrss is in KiB on Linux
MIB = 1 << 20
RESULT_PREFIX = "RESULT "  # marks a child's JSON result line on its stdout
WARM_UP_TEXT = "Russia massed troops near the border with Ukraine on Saturday, officials said."


def load_articles(corpus: str, limit: int) -> list[Article]:
    articles: list[Article] = []
    for item in read_inputs([corpus], Settings()):
        if isinstance(item, ItemError):
            continue
        articles.append(item)
        if len(articles) >= limit:
            break
    return articles


def _result(seconds: float, articles: list[Article], rss: dict[str, int], **extra: Any) -> dict[str, Any]:
    words = sum(len(a.text.split()) for a in articles)
    return {
        "seconds": seconds,
        "articles": len(articles),
        "words": words,
        "articles_per_s": len(articles) / seconds,
        "words_per_s": words / seconds,
        "peak_rss_mib": {name: round(value / MIB) for name, value in sorted(rss.items())},
        **extra,
    }


def phase_spacy(articles: list[Article], workers: int) -> dict[str, Any]:
    import spacy

    from flashpoint.coder import PIPE_BATCH_SIZE

    settings = Settings()
    nlp = spacy.load(settings.model)
    texts = [a.text[: settings.max_chars] for a in articles]
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=PIPE_BATCH_SIZE, n_process=workers):
        pass
    seconds = time.perf_counter() - started
    if workers == 1:
        rss = {"main": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * KIB}
    else:  # the largest finished child: spaCy's workers are equal, so this is the per-worker peak
        rss = {"largest worker": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * KIB}
    return _result(seconds, articles, rss, pipes=nlp.pipe_names)


def _run_batches(runner: Any, articles: list[Article]) -> tuple[float, dict[str, int]]:
    from flashpoint.engine.pipeline import BATCH_ARTICLES

    batches = [articles[i : i + BATCH_ARTICLES] for i in range(0, len(articles), BATCH_ARTICLES)]
    rss: dict[str, int] = {}
    started = time.perf_counter()
    for _, coded in runner.map((n, batch) for n, batch in enumerate(batches)):
        rss[coded.worker] = max(rss.get(coded.worker, 0), coded.peak_rss)
    return time.perf_counter() - started, rss


def phase_flashpoint(articles: list[Article], workers: int) -> dict[str, Any]:
    from flashpoint.engine.local import LocalRunner

    warm = [Article(f"warm-{n}", WARM_UP_TEXT, "2014-03-15") for n in range(workers)]
    with LocalRunner(Settings(), workers) as runner:
        list(runner.map((n, [article]) for n, article in enumerate(warm)))  # every worker loads the model
        seconds, rss = _run_batches(runner, articles)
    return _result(seconds, articles, rss, workers=workers)


def phase_dask(articles: list[Article], workers: int) -> dict[str, Any]:
    from flashpoint.engine.dask import DaskRunner
    from flashpoint.engine.work import warm_up

    settings = Settings()
    with DaskRunner(settings, None, workers) as runner:
        runner.client.run(warm_up, settings)  # every worker loads the model before the clock starts
        seconds, rss = _run_batches(runner, articles)
    return _result(seconds, articles, rss, workers=workers)


PHASES = {
    "spacy": lambda articles, workers: phase_spacy(articles, workers),
    "flashpoint": lambda articles, workers: phase_flashpoint(articles, workers),
    "dask1": lambda articles, workers: phase_dask(articles, 1),
    "dask2": lambda articles, workers: phase_dask(articles, 2),
}


def run_child(phase: str, args: argparse.Namespace) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        args.corpus,
        "--limit",
        str(args.limit),
        "--workers",
        str(args.workers),
    ]
    done = subprocess.run([*command, "--child", phase], capture_output=True, text=True, check=False)
    for line in done.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            return dict(json.loads(line[len(RESULT_PREFIX) :]))
    raise RuntimeError(f"phase {phase} failed:\n{done.stderr[-3000:]}")


def _row(name: str, result: dict[str, Any]) -> str:
    rss = ", ".join(f"{value} MiB" for value in result["peak_rss_mib"].values())
    return (
        f"{name:<26} {result['articles_per_s']:>9.1f} {result['words_per_s']:>10,.0f} "
        f"{result['seconds']:>8.1f}s   {rss}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("corpus", help="stories as JSONL (or anything `flashpoint ingest` reads)")
    parser.add_argument(
        "--limit", type=int, default=2000, help="stories to use (the first N that pass the checks)"
    )
    parser.add_argument("--workers", type=int, default=1, help="processes for both spaCy and flashpoint")
    parser.add_argument("--dask", action="store_true", help="also measure Dask with 1 and 2 local workers")
    parser.add_argument("--phases", nargs="+", choices=sorted(PHASES), help="run only these phases")
    parser.add_argument("--child", choices=sorted(PHASES), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        result = PHASES[args.child](load_articles(args.corpus, args.limit), args.workers)
        print(RESULT_PREFIX + json.dumps(result))
        return 0

    phases = args.phases or ["spacy", "flashpoint", *(["dask1", "dask2"] if args.dask else [])]
    articles = load_articles(args.corpus, args.limit)
    words = sum(len(a.text.split()) for a in articles)
    print(f"corpus {args.corpus}: {len(articles)} stories, {words:,} words; model {Settings().model}")
    print(f"{os.cpu_count()} CPUs; load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'phase':<26} {'articles/s':>9} {'words/s':>10} {'time':>9}   peak RSS per worker")
    results: dict[str, dict[str, Any]] = {}
    for phase in phases:
        results[phase] = run_child(phase, args)
        label = {
            "spacy": f"spaCy ({args.workers} proc)",
            "flashpoint": f"flashpoint ({args.workers} proc)",
            "dask1": "flashpoint Dask 1 worker",
            "dask2": "flashpoint Dask 2 workers",
        }[phase]
        print(_row(label, results[phase]), flush=True)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if {"spacy", "flashpoint"} <= results.keys():
        ratio = results["flashpoint"]["articles_per_s"] / results["spacy"]["articles_per_s"]
        print(f"ratio flashpoint / spaCy (articles/s, same model, {args.workers} proc): {ratio:.2f}")
    if {"dask1", "dask2"} <= results.keys():
        speedup = results["dask2"]["articles_per_s"] / results["dask1"]["articles_per_s"]
        print(f"Dask speed-up, 2 workers / 1 worker: {speedup:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
