"""Benchmark the actor stage: what loading the knowledge adds to start-up, and what resolution adds to coding.

    .venv/bin/python benchmarks/actors.py [--stories ../shared/bench/reuters21578.jsonl] [--limit 500]

Two numbers, each against the issue's budget:
  - knowledge load: reading and checking every knowledge file from scratch (cache cleared), best and worst
    of several loads; budget: under 1 s added to start-up;
  - actor share: the flashpoint_actors component's time on the stories, as a share of the time the spaCy
    model itself takes on the same stories (tokenizer, tagger, parser, NER); budget: under 5 %.
Both are measured in wall time and in this process's CPU time: other processes on a busy machine stretch
wall time but hardly CPU time, so the CPU ratio is the steadier one. The story file is the shared Reuters
bench corpus (../shared/bench, not in the repository); without it the resolution benchmark is skipped
with a message, and the load benchmark still runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import spacy

from flashpoint.config import DEFAULT_MODEL
from flashpoint.nlp import knowledge as kn
from flashpoint.nlp.actors import ActorResolver, find_actor_mentions
from flashpoint.nlp.knowledge import load_knowledge, parse_anchor

DEFAULT_STORIES = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "reuters21578.jsonl"
DEFAULT_LIMIT = 500
LOAD_REPEATS = 5  # cold loads of the knowledge; the best is the cost, the worst shows the noise
LOAD_BUDGET_SECONDS = 1.0
SHARE_BUDGET = 0.05
BATCH_SIZE = 50  # stories per model call; small enough to interleave model and actor timing


def read_stories(path: Path, limit: int) -> list[dict]:
    stories = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                stories.append(json.loads(line))
            if len(stories) >= limit:
                break
    return stories


def bench_load() -> dict[str, float]:
    walls, cpus = [], []
    for _ in range(LOAD_REPEATS):
        kn._load.cache_clear()
        wall, cpu = time.perf_counter(), time.process_time()
        knowledge = load_knowledge()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return {
        "load_best_s": min(walls),
        "load_worst_s": max(walls),
        "load_median_s": statistics.median(walls),
        "load_cpu_best_s": min(cpus),
        "people": len(knowledge.people),
        "terms": sum(len(p.terms) for p in knowledge.people.values()),
        "phrases": len(knowledge.phrases),
    }


def bench_share(stories: list[dict], model: str) -> dict[str, float]:
    nlp = spacy.load(model)
    resolver = ActorResolver(load_knowledge())
    texts = [s["text"] for s in stories]
    anchors = [s.get("date") for s in stories]
    nlp("Warm-up: Russia said on Friday it would talk to Ukraine.")  # first-call allocations off the clock
    model_wall = model_cpu = actor_wall = actor_cpu = 0.0
    mentions = 0
    for start in range(0, len(texts), BATCH_SIZE):
        batch = texts[start : start + BATCH_SIZE]
        wall, cpu = time.perf_counter(), time.process_time()
        docs = list(nlp.pipe(batch, batch_size=BATCH_SIZE))
        model_wall += time.perf_counter() - wall
        model_cpu += time.process_time() - cpu
        wall, cpu = time.perf_counter(), time.process_time()
        for doc, anchor in zip(docs, anchors[start : start + BATCH_SIZE], strict=True):
            found = find_actor_mentions(doc, resolver.knowledge, parse_anchor(anchor))
            resolver.set_annotations(doc, found)
            mentions += len(found)
        actor_wall += time.perf_counter() - wall
        actor_cpu += time.process_time() - cpu
    return {
        "stories": len(texts),
        "characters": sum(len(t) for t in texts),
        "mentions": mentions,
        "model_s": model_wall,
        "actors_s": actor_wall,
        "share_wall": actor_wall / model_wall,
        "model_cpu_s": model_cpu,
        "actors_cpu_s": actor_cpu,
        "share_cpu": actor_cpu / model_cpu,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=Path, default=DEFAULT_STORIES, help="story JSONL (text, date)")
    parser.add_argument(
        "--limit", type=int, default=DEFAULT_LIMIT, help="stories to read (default %(default)s)"
    )
    parser.add_argument("--model", default=DEFAULT_MODEL, help="spaCy model package")
    parser.add_argument("--json", action="store_true", help="print the numbers as one JSON object")
    args = parser.parse_args(argv)
    load_avg = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    result: dict[str, object] = {"cpus": os.cpu_count(), "load_average_1min": round(load_avg, 2)}
    result.update(bench_load())
    if args.stories.is_file():
        result.update(bench_share(read_stories(args.stories, args.limit), args.model))
    else:
        result["skipped"] = f"story file {args.stories} not found: the resolution benchmark was skipped"
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    print(f"machine: {result['cpus']} CPUs, 1-minute load average {result['load_average_1min']} at the start")
    print(
        f"knowledge load (cold, {LOAD_REPEATS} runs): best {result['load_best_s']:.3f} s, "
        f"median {result['load_median_s']:.3f} s, worst {result['load_worst_s']:.3f} s "
        f"(CPU best {result['load_cpu_best_s']:.3f} s; budget {LOAD_BUDGET_SECONDS:.1f} s) -- "
        f"{result['phrases']} phrases, {result['people']} people, {result['terms']} terms of office"
    )
    if "skipped" in result:
        print(result["skipped"], file=sys.stderr)
        return 0
    print(
        f"resolution on {result['stories']} stories ({result['characters']:,} characters, "
        f"{result['mentions']} mentions): model {result['model_s']:.2f} s, actors {result['actors_s']:.3f} s "
        f"= {100 * result['share_wall']:.2f} % wall; CPU {result['model_cpu_s']:.2f} s vs "
        f"{result['actors_cpu_s']:.3f} s = {100 * result['share_cpu']:.2f} % "
        f"(budget {100 * SHARE_BUDGET:.0f} %)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
