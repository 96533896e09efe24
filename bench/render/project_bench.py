#!/usr/bin/env python3
"""`ratsflow render` of 1,000 papers (run by bench/render.sh after `cargo bench --bench render`,
which wrote the project to DIR/project).

Usage: project_bench.py DIR BINARY [RUNS]

Runs `BINARY --project DIR/project check` (must pass), then `render` RUNS times (default 3)
with an empty out/ each time, and reports the best wall time (target: under 1 s). Between
runs out/ is moved to DIR/trash, not deleted (bench/render.sh deletes DIR/trash at the end):
on ext4 without a journal, creating files right after deleting thousands is slowed down by the
inode allocator skipping recently deleted inodes, a cost of the benchmark, not of ratsflow.

As a diagnosis it also times the same render with out/ on tmpfs (/dev/shm), where fsync costs
nothing: the difference is what writing durably to this machine's disk costs.
Writes DIR/project.json.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

PAPERS = 1000


def run(binary, project, *args):
    return subprocess.run([binary, "--project", project, *args],
                          capture_output=True, text=True, check=False)


def move_aside(path, trash):
    if os.path.lexists(path):
        os.makedirs(trash, exist_ok=True)
        os.rename(path, os.path.join(trash, f"out-{time.time_ns()}"))


def timed_render(binary, project):
    started = time.perf_counter()
    result = run(binary, project, "render")
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"ratsflow render failed ({result.returncode}):\n{result.stderr}")
    return elapsed, result.stderr.strip().splitlines()[-1:]


def count_documents(out):
    """The papers' documents (agendas of meetings are not counted)."""
    return sum(1 for _, _, files in os.walk(out) for f in files
               if f.endswith(".docx") and not f.startswith("Tagesordnung_"))


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    folder, binary = sys.argv[1], os.path.abspath(sys.argv[2])
    runs = int(sys.argv[3]) if len(sys.argv) == 4 else 3
    project = os.path.join(folder, "project")
    out = os.path.join(project, "out")
    trash = os.path.join(folder, "trash")

    papers = len([f for f in os.listdir(os.path.join(project, "papers")) if f.endswith(".yaml")])
    if papers != PAPERS:
        sys.exit(f"project has {papers} papers, expected {PAPERS}")
    check = run(binary, project, "check")
    if check.returncode != 0:
        sys.exit(f"ratsflow check failed:\n{check.stdout}{check.stderr}")

    times = []
    for _ in range(runs):
        move_aside(out, trash)
        os.makedirs(out)
        elapsed, summary = timed_render(binary, project)
        written = count_documents(out)
        if written != PAPERS:
            sys.exit(f"ratsflow render wrote {written} documents, expected {PAPERS}: {summary}")
        times.append(elapsed)
    best = min(times)
    listed = ", ".join(f"{t:.2f}" for t in times)
    print(f"ratsflow render, {PAPERS} papers, empty out/: runs {listed} s; best {best:.2f} s")

    tmpfs = None
    if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
        tmpfs_times = []
        for _ in range(runs):
            move_aside(out, trash)
            target = tempfile.mkdtemp(prefix="ratsflow-bench-out-", dir="/dev/shm")
            os.symlink(target, out)
            try:
                elapsed, _ = timed_render(binary, project)
                if count_documents(target) != PAPERS:
                    sys.exit("ratsflow render on tmpfs did not write every document")
                tmpfs_times.append(elapsed)
            finally:
                os.unlink(out)
                shutil.rmtree(target, ignore_errors=True)
        tmpfs = min(tmpfs_times)
        print(f"  diagnosis: same with out/ on tmpfs (fsync free): best {tmpfs:.2f} s "
              f"-> about {max(best - tmpfs, 0):.2f} s of the disk run is writing to disk durably")

    with open(os.path.join(folder, "project.json"), "w", encoding="utf-8") as f:
        json.dump({"papers": PAPERS, "runs": times, "best_s": best, "tmpfs_best_s": tmpfs}, f)


if __name__ == "__main__":
    main()
