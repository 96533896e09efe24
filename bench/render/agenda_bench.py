#!/usr/bin/env python3
"""The agenda of a meeting with 200 items (run by bench/render.sh): a copy of the example
project with 200 variants of the paper in flight (017/26), all at the committee's meeting of
21.01.2027. Times `ratsflow meeting` (the table in the terminal) and the render of the agenda
document (the papers' own documents already written). A timing line; no target.

Usage: agenda_bench.py DIR BINARY [RUNS]
"""
import os
import shutil
import subprocess
import sys
import time

ITEMS = 200
NOW = "2026-12-01"
BODY, DATE = "ausschuss-sig", "2027-01-21"


def run(binary, project, *args):
    result = subprocess.run([binary, "--project", project, "--now", NOW, *args],
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"ratsflow {' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
    return result


def best_of(runs, action):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    folder, binary = sys.argv[1], os.path.abspath(sys.argv[2])
    runs = int(sys.argv[3]) if len(sys.argv) == 4 else 3
    project = os.path.join(folder, "agenda-project")
    shutil.rmtree(project, ignore_errors=True)
    os.makedirs(os.path.join(project, "papers"))
    os.makedirs(os.path.join(project, "state"))
    # Everything the example's papers name: settings, workflows, templates, Anlagen.
    for part in ("ratsflow.yaml", "workflows", "templates", "anlagen"):
        source = os.path.join(os.getcwd(), part)
        target = os.path.join(project, part)
        (shutil.copytree if os.path.isdir(source) else shutil.copy)(source, target)
    with open("papers/2026-017.yaml", encoding="utf-8") as f:
        paper = f.read()
    for n in range(1, ITEMS + 1):
        text = paper.replace('reference: "017/26"', f'reference: "{n:03}/27"')
        with open(os.path.join(project, "papers", f"2027-{n:03}.yaml"), "w", encoding="utf-8") as f:
            f.write(text)
    run(binary, project, "check")
    listed = run(binary, project, "meeting", BODY, DATE).stdout
    if f"{ITEMS:03}/27" not in listed:
        sys.exit("the agenda does not list every paper")
    terminal = best_of(runs, lambda: run(binary, project, "meeting", BODY, DATE))
    run(binary, project, "render")
    agenda = os.path.join(project, "out", BODY, f"Tagesordnung_{BODY}_{DATE}.docx")
    stamp = os.path.join(project, "out", BODY, f".Tagesordnung_{BODY}_{DATE}.docx.inputs")

    def render_agenda():
        for path in (agenda, stamp):
            if os.path.exists(path):
                os.remove(path)
        run(binary, project, "render")

    document = best_of(runs, render_agenda)
    if not os.path.exists(agenda):
        sys.exit("ratsflow render wrote no agenda")
    print(f"agenda of a meeting with {ITEMS} items: `ratsflow meeting` best {terminal:.2f} s; "
          f"`ratsflow render` with the agenda to write best {document:.2f} s")


if __name__ == "__main__":
    main()
