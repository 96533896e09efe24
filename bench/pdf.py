#!/usr/bin/env python3
"""PDF benchmark: the PDFs of 100 papers in one pass (one LibreOffice process for the batch)
against one LibreOffice start per document.

Generates 100 Beschlussvorlagen like bench/scale.py, renders their DOCX, then times
`ratsflow render` with `pdf:` on (only the PDF step has work: the DOCX are current). The
per-document alternative is sampled: SAMPLE single starts of soffice on one document each,
with a private profile each (as ratsflow uses), averaged and extrapolated to all documents.
Prints seconds per document for both and their ratio (goal: batch at least 5x faster).

Usage: python3 bench/pdf.py [--papers 100] [--sample 10] [--binary target/release/ratsflow]
"""
import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scale  # noqa: E402

FILTER = ('pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"},'
          '"PDFUACompliance":{"type":"boolean","value":"true"},'
          '"SelectPdfVersion":{"type":"long","value":"2"}}')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--papers", type=int, default=100)
    parser.add_argument("--sample", type=int, default=10)
    parser.add_argument("--binary")
    args = parser.parse_args()
    if shutil.which("soffice") is None:
        sys.exit("soffice (LibreOffice) is not installed")
    binary = args.binary
    if binary is None:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=scale.ROOT, check=True)
        binary = os.path.join(scale.ROOT, "target", "release", "ratsflow")
    with tempfile.TemporaryDirectory() as tmp:
        project = os.path.join(tmp, "project")
        scale.make_project(project, args.papers)
        base = [binary, "--project", project, "--now", "2026-11-21", "--quiet"]
        subprocess.run(base + ["render"], check=True)
        docs = sorted(glob.glob(os.path.join(project, "out", "*", "*.docx")))
        with open(os.path.join(project, "ratsflow.yaml"), "a") as f:
            f.write("pdf:\n  enabled: true\n  timeout_seconds: 120\n")
        start = time.perf_counter()
        subprocess.run(base + ["render"], check=True)
        batch = time.perf_counter() - start
        pdfs = glob.glob(os.path.join(project, "out", "*", "*.pdf"))
        if len(pdfs) != len(docs):
            sys.exit(f"{len(pdfs)} PDFs for {len(docs)} documents")

        sample = docs[: args.sample]
        single = []
        for i, doc in enumerate(sample):
            out = os.path.join(tmp, f"single{i}")
            start = time.perf_counter()
            subprocess.run(
                ["soffice", f"-env:UserInstallation=file://{tmp}/profile{i}", "--headless",
                 "--norestore", "--convert-to", FILTER, "--outdir", out, doc],
                check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            single.append(time.perf_counter() - start)
        per_single = sum(single) / len(single)

    per_batch = batch / len(docs)
    print(f"documents: {len(docs)} ({args.papers} papers and the agendas of their meetings)")
    print(f"batch, one soffice for all (ratsflow render): {batch:.1f} s, {per_batch:.3f} s per document")
    print(f"one soffice per document: {per_single:.3f} s per document "
          f"(mean of {len(single)} single starts, extrapolated: {per_single * len(docs):.1f} s for all)")
    print(f"ratio: batch is {per_single / per_batch:.1f}x faster (goal: >= 5x)")


if __name__ == "__main__":
    main()
