#!/usr/bin/env python3
"""Hostile-input benchmark: papers built to make the loader slow, timing `ratsflow check`.

Issue 8 §2: diagnostics must be linear in file size. Targets on a 2-core machine with the release
build: 40,000 unknown keys under 1 s, any 6 MB paper under 2 s. Each case copies the `kreis`
test fixture to a temporary project, adds one hostile paper and runs `check` once (it must exit
1: the paper is wrong, and no crash). Prints one line per case: size, exit code, seconds.

Usage: python3 bench/hostile.py [--binary target/release/ratsflow] [--only NAME]
Builds the release binary first when --binary is not given.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURE = os.path.join(ROOT, "tests", "fixtures", "projects", "kreis")
BASE = open(os.path.join(FIXTURE, "papers", "2019-042.yaml"), encoding="utf-8").read()
SIX_MB = 6 * 1024 * 1024


def unknown_keys(count):
    return BASE + "".join(f"unknown_key_{i}: wert\n" for i in range(count))


def fill(line_of, size):
    """BASE plus lines from `line_of(i)` until the text is `size` bytes."""
    parts, total, i = [BASE], len(BASE), 0
    while total < size:
        line = line_of(i)
        parts.append(line)
        total += len(line)
        i += 1
    return "".join(parts)


CASES = {
    # The first measurement: 22.7 s before the fix.
    "40k-unknown-keys": lambda: unknown_keys(40_000),
    # 6 MB of unknown keys (about 260,000).
    "6mb-unknown-keys": lambda: fill(lambda i: f"unknown_key_{i}: wert\n", SIX_MB),
    # 6 MB in one block text: valid YAML, one value.
    "6mb-facts-text": lambda: BASE.replace(
        "facts: |\n", "facts: |\n" + "  Ein langer Sachverhalt ohne Ende.\n" * (SIX_MB // 36)
    ),
    # 6 MB of proposal items that are mappings instead of texts (type errors in a list).
    "6mb-bad-list-items": lambda: BASE.split("proposal:")[0]
    + "proposal:\n"
    + "".join(f"  - {{ punkt: {i} }}\n" for i in range(SIX_MB // 21)),
    # 6 MB on one line: a flow mapping of unknown keys.
    "6mb-one-line-flow": lambda: BASE
    + "extra: {"
    + ", ".join(f"k{i}: v" for i in range(SIX_MB // 12))
    + "}\n",
    # The same key 100,000 times.
    "duplicate-keys": lambda: fill(lambda i: "doppelt: ja\n", 1_200_000),
    # 5,000 levels of nesting, block and flow.
    "deep-block": lambda: "- " * 5000 + "v\n",
    "deep-flow": lambda: "[" * 5000 + "]" * 5000 + "\n",
    "deep-mapping": lambda: "{a: " * 5000 + "v" + "}" * 5000 + "\n",
    # Over the 10 MB limit: refused before parsing.
    "11mb-paper": lambda: fill(lambda i: f"# Kommentarzeile {i}\n", 11 * 1024 * 1024),
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary")
    parser.add_argument("--only")
    args = parser.parse_args()
    binary = args.binary
    if not binary:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        binary = os.path.join(ROOT, "target", "release", "ratsflow")
    failed = False
    print(f"{'case':<22} {'size':>9} {'exit':>4} {'seconds':>8}")
    for name, make in CASES.items():
        if args.only and args.only != name:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            project = os.path.join(tmp, "p")
            shutil.copytree(FIXTURE, project)
            shutil.copytree(os.path.join(ROOT, "templates"), os.path.join(project, "templates"))
            text = make()
            with open(os.path.join(project, "papers", "hostile.yaml"), "w", encoding="utf-8") as f:
                f.write(text)
            start = time.perf_counter()
            run = subprocess.run(
                [binary, "--project", project, "check"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                env={**os.environ, "NO_COLOR": "1"},
            )
            seconds = time.perf_counter() - start
            size = f"{len(text.encode()) / 1024 / 1024:.1f} MB"
            print(f"{name:<22} {size:>9} {run.returncode:>4} {seconds:>8.2f}", flush=True)
            if run.returncode != 1:
                failed = True
                sys.stderr.write(run.stderr.decode(errors="replace")[-2000:])
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
