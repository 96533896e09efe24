#!/usr/bin/env python3
"""OParl export benchmark: `ratsflow oparl` on N submitted papers (default 2,000), each with
its rendered DOCX, two consultations and a place on a meeting's agenda; prints the time of the
export, per paper, and the size of the tree. Timing is printed, never asserted.

Usage: python3 bench/oparl.py [--papers N] [--binary target/release/ratsflow]
Builds the release binary first when --binary is not given.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scale  # noqa: E402  (the directory, paper text and templates of the scale benchmark)

ROOT = scale.ROOT

# Straight to the committees: every paper is submitted, so every paper is exported.
WORKFLOW = """name: Vorlage an Ausschuss und Kreistag
stages:
  - id: ausschuss
    title: Ausschuss
    consult: { body: ausschuss, role: Vorberatung }
  - id: kreistag
    title: Kreistag
    consult: { body: kreistag, role: Entscheidung }
"""


def make_project(directory, papers):
    scale.make_project(directory, papers)
    with open(os.path.join(directory, "workflows", "kreistag.yaml"), "w") as f:
        f.write(WORKFLOW)
    with open(os.path.join(directory, "ratsflow.yaml"), "a") as f:
        f.write('oparl: { base_url: "https://ris.kreis.example/oparl/" }\n')
    for name in os.listdir(os.path.join(directory, "state")):
        os.remove(os.path.join(directory, "state", name))


def timed(binary, project, command):
    start = time.perf_counter()
    subprocess.run(
        [binary, "--project", project, "--now", "2026-11-21", "--quiet", command], check=True
    )
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=2000)
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
        render = timed(binary, project, "render")
        best = min(timed(binary, project, "oparl") for _ in range(args.repeats))
        tree = os.path.join(project, "out", "oparl")
        files = 0
        size = 0
        for folder, _, names in os.walk(tree):
            for name in names:
                files += 1
                size += os.path.getsize(os.path.join(folder, name))
    print(f"papers  render_s  oparl_s  per_paper_ms  files  tree_MB")
    print(f"{args.papers:>6}  {render:8.2f}  {best:7.2f}  {best / args.papers * 1e3:12.2f}  {files:5}  {size / 1e6:7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
