#!/usr/bin/env python3
"""Watcher benchmark (issue 4): save -> DOCX latency, cold start, scaling, idle cost.

Prints, for a project of 10 and one of N (default 10,000) papers:
  - cold start: `ratsflow watch` started until its first pass is done (target <= 3 s at N),
  - latency from saving a paper to its new DOCX on disk over 100 saves, p50 and p95
    (target p95 <= 150 ms with the default debounce of 100 ms),
  - the ratio of one change's cost at N to its cost at 10 papers (target <= 1.5),
  - idle CPU over 10 s and resident memory of the idle watcher (targets: no measurable CPU,
    <= 100 MB at N).

The papers sit at a consultation stage of a body without an office, so no mail is due and the
figures measure the watcher itself. Usage: python3 bench/watch.py [--papers N] [--saves 100]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLK_TCK = os.sysconf("SC_CLK_TCK")

SETTINGS = "organisation: kreis\ntime_zone: Europe/Berlin\n"
DIRECTORY = """organisations:
  kreis: { name: Kreis Beispiel, land: NW, letterhead: [Kreis Beispiel, Der Landrat] }
people:
  sachbearbeitung: { name: Sachbearbeitung, email: sb@kreis.example }
bodies:
  ausschuss:
    name: Ausschuss für Soziales
    kind: ausschuss
    meetings: [2027-01-21, 2027-03-04]
  kreistag:
    name: Kreistag
    kind: rat
    meetings: [2027-02-11, 2027-04-01]
"""
WORKFLOW = """name: Beratung
stages:
  - id: ausschuss
    title: Ausschuss
    consult: { body: ausschuss, role: Vorberatung }
  - id: kreistag
    title: Kreistag
    consult: { body: kreistag, role: Entscheidung }
"""
PAPER = """kind: Beschlussvorlage
workflow: beratung
reference: "{n:05d}/26"
title: "{title}"
date: 2026-11-02
lead_office: Fachbereich Soziales
author: sachbearbeitung
facts: |
  Der Kreistag hat die Verwaltung beauftragt, eine **Sozialplanung** aufzubauen.

  - Baustein 1: Aktive Nachbarschaft
  - Baustein 2: Gesundes Aufwachsen
proposal:
  - Der Kreistag nimmt den Bericht zur Kenntnis.
  - Die Verwaltung wird beauftragt, das Konzept umzusetzen.
financing: Haushalt 2027
"""


def paper_text(n, version=0):
    return PAPER.format(n=n, title=f"Vorlage {n} zur Sozialplanung, Fassung {version}")


def make_project(directory, papers, binary):
    for sub in ("workflows", "papers", "state"):
        os.makedirs(os.path.join(directory, sub))
    shutil.copytree(os.path.join(ROOT, "templates"), os.path.join(directory, "templates"))
    with open(os.path.join(directory, "ratsflow.yaml"), "w") as f:
        f.write(SETTINGS)
    with open(os.path.join(directory, "workflows", "directory.yaml"), "w") as f:
        f.write(DIRECTORY)
    with open(os.path.join(directory, "workflows", "beratung.yaml"), "w") as f:
        f.write(WORKFLOW)
    for n in range(1, papers + 1):
        with open(os.path.join(directory, "papers", f"p{n:05d}.yaml"), "w") as f:
            f.write(paper_text(n))
    # Render everything once, so a start is a restart with current documents (the common case).
    subprocess.run([binary, "--project", directory, "--quiet", "render"], check=True)


def docx_path(directory, n):
    return os.path.join(directory, "out", f"p{n:05d}", f"Beschlussvorlage_{n:05d}-26.docx")


def start_watcher(binary, directory):
    log = open(os.path.join(directory, "watch.log"), "w")
    start = time.perf_counter()
    process = subprocess.Popen([binary, "--project", directory, "watch"], stdout=subprocess.DEVNULL, stderr=log)
    while True:
        with open(os.path.join(directory, "watch.log")) as f:
            if "bereit:" in f.read():
                return process, time.perf_counter() - start
        if process.poll() is not None:
            sys.exit(f"watcher ended early:\n{open(os.path.join(directory, 'watch.log')).read()}")
        time.sleep(0.005)


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def measure(binary, papers, saves):
    with tempfile.TemporaryDirectory() as tmp:
        project = os.path.join(tmp, "p")
        make_project(project, papers, binary)
        process, cold = start_watcher(binary, project)
        try:
            time.sleep(0.5)
            latencies = []
            for i in range(saves):
                n = 1 + (i * 7919) % papers
                target = docx_path(project, n)
                before = os.stat(target).st_mtime_ns
                path = os.path.join(project, "papers", f"p{n:05d}.yaml")
                start = time.perf_counter()
                with open(path, "w") as f:
                    f.write(paper_text(n, i + 1))
                while True:
                    try:
                        if os.stat(target).st_mtime_ns != before:
                            break
                    except FileNotFoundError:
                        pass
                    if time.perf_counter() - start > 10:
                        sys.exit(f"no new document for save {i} after 10 s")
                    time.sleep(0.001)
                latencies.append((time.perf_counter() - start) * 1000)
                time.sleep(0.05)
            time.sleep(2)
            cpu_before = cpu_seconds(process.pid)
            time.sleep(10)
            idle_cpu = cpu_seconds(process.pid) - cpu_before
            memory = rss_mb(process.pid)
        finally:
            process.terminate()
            process.wait(timeout=10)
        latencies.sort()
        p50 = statistics.median(latencies)
        p95 = latencies[int(len(latencies) * 0.95) - 1]
        return {"cold": cold, "p50": p50, "p95": p95, "idle_cpu": idle_cpu, "rss": memory}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=10000)
    parser.add_argument("--saves", type=int, default=100)
    parser.add_argument("--binary")
    args = parser.parse_args()
    binary = args.binary
    if not binary:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        binary = os.path.join(ROOT, "target", "release", "ratsflow")
    small = measure(binary, 10, args.saves)
    large = measure(binary, args.papers, args.saves)
    print("papers   cold_start_s  save->docx p50_ms  p95_ms  idle_cpu_s/10s  rss_MB")
    for n, r in ((10, small), (args.papers, large)):
        print(f"{n:>6}   {r['cold']:12.3f}  {r['p50']:17.1f}  {r['p95']:6.1f}  {r['idle_cpu']:14.2f}  {r['rss']:6.1f}")
    ratio = large["p50"] / small["p50"]
    checks = [
        (f"p95 save->docx <= 150 ms at {args.papers}", large["p95"] <= 150, f"{large['p95']:.1f} ms"),
        (f"cold start <= 3 s at {args.papers}", large["cold"] <= 3, f"{large['cold']:.2f} s"),
        ("one change at N costs <= 1.5x one change at 10", ratio <= 1.5, f"{ratio:.2f}x"),
        ("idle CPU not measurable (< 0.05 s in 10 s)", large["idle_cpu"] < 0.05, f"{large['idle_cpu']:.2f} s"),
        (f"idle memory <= 100 MB at {args.papers}", large["rss"] <= 100, f"{large['rss']:.1f} MB"),
    ]
    for name, ok, figure in checks:
        print(f"target {name}: {'met' if ok else 'MISSED'} ({figure})")
    return 0 if all(ok for _, ok, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
