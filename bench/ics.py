#!/usr/bin/env python3
"""Calendar benchmark: what the feeds (out/ics/) add to a pass over 10,000 papers.

Builds the project of bench/scale.py (10,000 papers waiting for two co-signers), runs a first
pass (documents, notices, calendars), then times further passes with the calendars and without
them (the key refused, so no feed is built) and prints the difference, the size of the feeds
and of the largest one. Timing is printed, never asserted.

Usage: python3 bench/ics.py [--papers N] [--repeats N] [--binary target/release/ratsflow]
Builds the release binary first when --binary is not given.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scale import ROOT, make_project  # noqa: E402


def timed_run(binary, project, key_file):
    env = dict(os.environ, RATSFLOW_KEY_FILE=key_file)
    start = time.perf_counter()
    result = subprocess.run(
        [binary, "--project", project, "--now", "2026-11-21", "run"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env,
    )
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        sys.exit(f"run failed with exit code {result.returncode}: {result.stderr[-2000:]}")
    line = next((l for l in result.stderr.splitlines() if "Kalender" in l), "")
    return elapsed, line


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=10000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--binary")
    args = parser.parse_args()
    binary = args.binary
    if not binary:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        binary = os.path.join(ROOT, "target", "release", "ratsflow")
    with tempfile.TemporaryDirectory() as tmp:
        project = os.path.join(tmp, "project")
        make_project(project, args.papers)
        key = os.path.join(tmp, "key", "ics.key")
        refused = os.path.join(project, "ics.key")  # inside the project: no calendars
        print(f"{args.papers} papers: first pass (documents, notices, calendars) …", flush=True)
        first, line = timed_run(binary, project, key)
        print(f"  first pass {first:.1f} s; {line.strip()}")
        with_ics, without_ics = [], []
        for _ in range(args.repeats):
            with_ics.append(timed_run(binary, project, key)[0])
            without_ics.append(timed_run(binary, project, refused)[0])
        feeds = [os.path.join(project, "out", "ics", f) for f in os.listdir(os.path.join(project, "out", "ics"))]
        sizes = sorted((os.path.getsize(f), f) for f in feeds)
        largest = sizes[-1][1]
        with open(largest, "rb") as f:
            events = f.read().count(b"BEGIN:VEVENT")
        a, b = statistics.median(with_ics), statistics.median(without_ics)
        print(f"pass with calendars:    {a:.2f} s (median of {args.repeats})")
        print(f"pass without calendars: {b:.2f} s")
        print(f"calendars add:          {a - b:+.2f} s per pass")
        print(f"feeds: {len(feeds)}, {sum(s for s, _ in sizes) / 1e6:.1f} MB in all; "
              f"largest {sizes[-1][0] / 1e6:.2f} MB with {events} events")


if __name__ == "__main__":
    main()
