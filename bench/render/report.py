#!/usr/bin/env python3
"""Prints the render benchmark's summary from the JSON files the three engines and
project_bench.py wrote into DIR. Usage: report.py DIR"""
import json
import os
import sys

TARGETS = {"docxtemplater": 50, "docxtpl": 100}
PROJECT_TARGET_S = 1.0


def load(folder, name):
    with open(os.path.join(folder, f"{name}.json"), encoding="utf-8") as f:
        return json.load(f)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    folder = sys.argv[1]
    ours = load(folder, "ratsflow")["docs_per_s"]
    print()
    print(f"{'engine':<15} {'docs/s':>8}   ratio (ratsflow / engine)")
    print(f"{'ratsflow':<15} {ours:>8.0f}   1.0")
    for engine in ("docxtemplater", "docxtpl"):
        result = load(folder, engine)
        rate = result["docs_per_s"]
        ratio = ours / rate
        target = TARGETS[engine]
        verdict = "met" if ratio >= target else "MISSED"
        print(f"{engine:<15} {rate:>8.0f}   {ratio:.1f}×   target ≥ {target}×: {verdict}")
        if "docs_per_s_store" in result:
            store = result["docs_per_s_store"]
            print(f"{'':<15} {store:>8.0f}   {ours / store:.1f}×   (side figure: uncompressed output)")
    project = load(folder, "project")
    best = project["best_s"]
    verdict = "met" if best < PROJECT_TARGET_S else "MISSED"
    print(f"render {project['papers']} papers: {best:.2f} s "
          f"(target < {PROJECT_TARGET_S:.0f} s: {verdict})")
    if project.get("tmpfs_best_s") is not None:
        print(f"  (out/ on tmpfs, without disk writes: {project['tmpfs_best_s']:.2f} s)")
    print("One thread per engine; ratsflow render uses all cores. Figures from a shared machine.")


if __name__ == "__main__":
    main()
