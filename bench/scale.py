#!/usr/bin/env python3
"""Scale benchmark: 10,000 papers on one workflow, timing `ratsflow check` and `ratsflow status`.

Target (issue 2): check + status together under 2 s and peak memory under 256 MB on a 2-core
machine. Also runs the same commands on 10 papers, so the ratio shows how cost grows.

Usage: python3 bench/scale.py [--papers N] [--binary target/release/ratsflow]
Builds the release binary first when --binary is not given.
"""
import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SETTINGS = """organisation: kreis
time_zone: Europe/Berlin
closed_days: ["24.12.", "31.12."]
"""

DIRECTORY = """organisations:
  kreis: { name: Kreis Beispiel, land: NW, letterhead: [Kreis Beispiel] }
people:
  fb: { name: Fachbereich Soziales, email: fb@kreis.example }
  kaemmerei: { name: Kämmerei, email: kaemmerei@kreis.example }
  landrat: { name: Landrätin, email: landraetin@kreis.example }
  sachbearbeitung: { name: Sachbearbeitung, email: sb@kreis.example }
bodies:
  ausschuss:
    name: Ausschuss für Soziales
    kind: ausschuss
    meetings: [2026-12-03, 2027-01-21, 2027-03-04, 2027-05-06]
    deadlines: { vorlage: { days: 21, unit: calendar } }
  kreistag:
    name: Kreistag
    kind: rat
    meetings: [2026-12-17, 2027-02-11, 2027-04-01, 2027-06-24]
    deadlines: { vorlage: { days: 21, unit: calendar } }
"""

WORKFLOW = """name: Beschlussvorlage an den Kreistag
stages:
  - id: mitzeichnung
    title: Mitzeichnung
    sign: { all: [fb, kaemmerei] }
    due: { before: ausschuss, rule: vorlage }
    remind: [{ before_due: 3 }]
    escalate: { after_due: 1, notify: [landrat] }
  - id: schlusszeichnung
    title: Schlusszeichnung
    sign: { all: [landrat] }
    on_return: mitzeichnung
  - id: ausschuss
    title: Ausschuss
    consult: { body: ausschuss, role: Vorberatung }
  - id: kreistag
    title: Kreistag
    consult: { body: kreistag, role: Entscheidung }
"""

PAPER = """kind: Beschlussvorlage
workflow: kreistag
reference: "{n:04d}/26"
title: Beschlussvorlage Nummer {n} zur Sozialplanung im Kreis
date: 2026-11-02
lead_office: Fachbereich Soziales
author: sachbearbeitung
file_number: "50.{n}"
facts: |
  Der Kreistag hat die Verwaltung beauftragt, eine **Sozialplanung** aufzubauen.
  Die Verwaltung berichtet über den Sachstand der Vorlage {n}.

  - Baustein 1: Aktive Nachbarschaft
  - Baustein 2: Gesundes Aufwachsen
  - Baustein 3: Daten zu Taten im Sozialraum
proposal:
  - Der Kreistag nimmt den Bericht zur Kenntnis.
  - Die Verwaltung wird beauftragt, das Konzept umzusetzen.
  - Über den Fortgang wird im Ausschuss berichtet.
financing: Haushalt 2027, Produkt 05.{n}
attachments: [Konzept.pdf]
"""


def make_project(directory, papers):
    shutil.copytree(os.path.join(ROOT, "templates"), os.path.join(directory, "templates"))
    os.makedirs(os.path.join(directory, "workflows"))
    os.makedirs(os.path.join(directory, "papers"))
    os.makedirs(os.path.join(directory, "state"))
    with open(os.path.join(directory, "ratsflow.yaml"), "w") as f:
        f.write(SETTINGS)
    with open(os.path.join(directory, "workflows", "directory.yaml"), "w") as f:
        f.write(DIRECTORY)
    with open(os.path.join(directory, "workflows", "kreistag.yaml"), "w") as f:
        f.write(WORKFLOW)
    for n in range(1, papers + 1):
        with open(os.path.join(directory, "papers", f"2026-{n:05d}.yaml"), "w") as f:
            f.write(PAPER.format(n=n))
    # A few signatures so the journal is read too.
    for n in range(1, papers + 1, 10):
        with open(os.path.join(directory, "state", f"2026-{n:05d}.jsonl"), "w") as f:
            f.write('{"time":"2026-11-03T09:00:00+01:00","event":"signed","who":"fb","stage":"mitzeichnung","hash":"sha256:x"}\n')


def run(binary, project, command):
    """Runs one command; returns (seconds, peak RSS in MB of that child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%M", binary, "--project", project, "--now", "2026-11-21", command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        sys.exit(f"{command} failed with exit code {result.returncode}: {result.stderr[-2000:]}")
    peak_kb = int(result.stderr.strip().splitlines()[-1])
    del before
    return elapsed, peak_kb / 1024


def measure(binary, papers, repeats):
    with tempfile.TemporaryDirectory() as tmp:
        project = os.path.join(tmp, "project")
        make_project(project, papers)
        # Documents are rendered once, as in a project in use; `check` then test-renders only
        # what changed since (here: nothing) and verifies the input stamps of all others.
        subprocess.run([binary, "--project", project, "--now", "2026-11-21", "--quiet", "render"], check=True)
        run(binary, project, "check")  # warm the page cache
        best = None
        for _ in range(repeats):
            check = run(binary, project, "check")
            status = run(binary, project, "status")
            total = check[0] + status[0]
            if best is None or total < best[0]:
                best = (total, check, status)
        return best


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
    small = measure(binary, 10, args.repeats)
    large = measure(binary, args.papers, args.repeats)
    print(f"papers      check_s  status_s  total_s  peak_MB(check/status)")
    for n, (total, check, status) in ((10, small), (args.papers, large)):
        print(f"{n:>6}      {check[0]:7.3f}  {status[0]:8.3f}  {total:7.3f}  {check[1]:.0f}/{status[1]:.0f}")
    total, check, status = large
    peak = max(check[1], status[1])
    print(f"per paper: {total / args.papers * 1e6:.0f} µs for check+status")
    ok_time = total < 2.0
    ok_mem = peak < 256
    print(f"target check+status < 2 s: {'met' if ok_time else 'MISSED'} ({total:.3f} s)")
    print(f"target peak memory < 256 MB: {'met' if ok_mem else 'MISSED'} ({peak:.0f} MB)")
    return 0 if ok_time and ok_mem else 1


if __name__ == "__main__":
    sys.exit(main())
