#!/usr/bin/env python3
"""docxtpl side of the render benchmark (run by bench/render.sh after `cargo bench --bench render`).

Usage: docxtpl_bench.py DIR N

Renders DIR/template-jinja.docx (the very file ratsflow renders) with DIR/data.json N/10 times
on one thread (docxtpl is slow) and writes DIR/docxtpl.json and DIR/docxtpl.docx.

One render is what a program using docxtpl does per document: open the template (docxtpl
re-reads it for every render, it cannot render a loaded template twice), render with
autoescape (values are XML-escaped, as ratsflow and docxtemplater do) and save the DOCX into
memory. docxtpl turns line breaks in values into <w:br/> itself, as ratsflow does.
"""
import io
import json
import os
import sys
import time
import zipfile

from docxtpl import DocxTemplate


def render(template_bytes, data):
    template = DocxTemplate(io.BytesIO(template_bytes))
    template.render(data, autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def verify(docx, data):
    """The document is real: title, last proposal point, Beratungsfolge, financing, no tags."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    paper = data["paper"]
    for text in (paper["title"], paper["proposal"][-1], paper["consultations"][1]["body"],
                 "Finanzielle Auswirkungen"):
        if text not in xml:
            sys.exit(f"docxtpl: rendered document lacks „{text}“")
    if "{{" in xml or "{%" in xml:
        sys.exit("docxtpl: rendered document still has template tags")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    folder, n = sys.argv[1], int(sys.argv[2])
    count = max(n // 10, 1)
    with open(os.path.join(folder, "template-jinja.docx"), "rb") as f:
        template_bytes = f.read()
    with open(os.path.join(folder, "data.json"), encoding="utf-8") as f:
        data = json.load(f)

    sample = render(template_bytes, data)
    verify(sample, data)
    with open(os.path.join(folder, "docxtpl.docx"), "wb") as f:
        f.write(sample)
    for _ in range(max(count // 10, 3)):
        render(template_bytes, data)

    started = time.perf_counter()
    size = 0
    for _ in range(count):
        size += len(render(template_bytes, data))
    elapsed = time.perf_counter() - started
    rate = count / elapsed
    print(f"docxtpl: {count} renders in {elapsed:.3f} s on 1 thread = {rate:.0f} docs/s "
          f"({size / count / 1024:.1f} KiB/doc, {elapsed * 1e6 / count:.0f} µs/doc)")
    with open(os.path.join(folder, "docxtpl.json"), "w", encoding="utf-8") as f:
        json.dump({"engine": "docxtpl", "docs": count, "docs_per_s": rate}, f)


if __name__ == "__main__":
    main()
