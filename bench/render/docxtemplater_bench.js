#!/usr/bin/env node
// docxtemplater side of the render benchmark (run by bench/render.sh after
// `cargo bench --bench render`).
//
// Usage: node docxtemplater_bench.js DIR N
//
// Renders DIR/template-docxtemplater.docx (the ratsflow template's layout in docxtemplater's
// syntax) with DIR/data.json N/4 times on one thread and writes DIR/docxtemplater.json and
// DIR/docxtemplater.docx. A side figure, N/8 renders with uncompressed output (STORE), shows
// how much of docxtemplater's time is the zip step; the comparison uses DEFLATE.
//
// One render is what a program using docxtemplater does per document: unzip the template,
// compile it (a Docxtemplater instance renders once), render, and zip the DOCX into a buffer
// with DEFLATE (as the docxtemplater docs do; ratsflow and docxtpl deflate too). Options:
// `{{`/`}}` delimiters, paragraph loops, line breaks as <w:br/> (as ratsflow and docxtpl do)
// and a small parser for dotted paths (`paper.title`) — the default parser reads only plain
// keys, and this one is cheaper than the angular-expressions parser.
"use strict";

const fs = require("fs");
const path = require("path");
const PizZip = require("pizzip");
const Docxtemplater = require("docxtemplater");

function parser(tag) {
  const trimmed = tag.trim();
  const keys = trimmed === "." ? [] : trimmed.split(".");
  return {
    get(scope) {
      let value = scope;
      for (const key of keys) {
        if (value === null || value === undefined) {
          return undefined;
        }
        value = value[key];
      }
      return value;
    },
  };
}

const OPTIONS = {
  delimiters: { start: "{{", end: "}}" },
  paragraphLoop: true,
  linebreaks: true,
  parser,
  nullGetter: () => "",
};

function render(templateBytes, data, compression = "DEFLATE") {
  const zip = new PizZip(templateBytes);
  const doc = new Docxtemplater(zip, OPTIONS);
  doc.render(data);
  return doc.getZip().generate({ type: "nodebuffer", compression });
}

// Renders `count` documents; returns [seconds, bytes].
function timed(templateBytes, data, count, compression) {
  const started = process.hrtime.bigint();
  let size = 0;
  for (let i = 0; i < count; i++) {
    size += render(templateBytes, data, compression).length;
  }
  return [Number(process.hrtime.bigint() - started) / 1e9, size];
}

// The document is real: title, last proposal point, Beratungsfolge, financing, no tags.
function verify(docx, data) {
  const xml = new PizZip(docx).file("word/document.xml").asText();
  const paper = data.paper;
  const expected = [
    paper.title,
    paper.proposal[paper.proposal.length - 1],
    paper.consultations[1].body,
    "Finanzielle Auswirkungen",
  ];
  for (const text of expected) {
    if (!xml.includes(text)) {
      console.error(`docxtemplater: rendered document lacks „${text}“`);
      process.exit(1);
    }
  }
  if (xml.includes("{{") || xml.includes("{%") || xml.includes("}}")) {
    console.error("docxtemplater: rendered document still has template tags");
    process.exit(1);
  }
}

function main() {
  if (process.argv.length !== 4) {
    console.error("usage: node docxtemplater_bench.js DIR N");
    process.exit(2);
  }
  const dir = process.argv[2];
  const count = Math.max(Math.floor(Number(process.argv[3]) / 4), 1);
  const templateBytes = fs.readFileSync(path.join(dir, "template-docxtemplater.docx"));
  const data = JSON.parse(fs.readFileSync(path.join(dir, "data.json"), "utf8"));

  const sample = render(templateBytes, data);
  verify(sample, data);
  fs.writeFileSync(path.join(dir, "docxtemplater.docx"), sample);
  for (let i = 0; i < Math.max(Math.floor(count / 5), 20); i++) {
    render(templateBytes, data);
  }

  const [elapsed, size] = timed(templateBytes, data, count, "DEFLATE");
  const rate = count / elapsed;
  console.log(
    `docxtemplater: ${count} renders in ${elapsed.toFixed(3)} s on 1 thread = ` +
      `${rate.toFixed(0)} docs/s (${(size / count / 1024).toFixed(1)} KiB/doc, ` +
      `${((elapsed * 1e6) / count).toFixed(0)} µs/doc)`,
  );
  // Side figure, not in the comparison: without compression the output is larger than
  // ratsflow's, but the zip step is cheaper.
  const storeCount = Math.max(Math.floor(count / 2), 1);
  const [storeElapsed, storeSize] = timed(templateBytes, data, storeCount, "STORE");
  const storeRate = storeCount / storeElapsed;
  console.log(
    `docxtemplater, uncompressed output (STORE): ${storeRate.toFixed(0)} docs/s ` +
      `(${(storeSize / storeCount / 1024).toFixed(1)} KiB/doc)`,
  );
  fs.writeFileSync(
    path.join(dir, "docxtemplater.json"),
    JSON.stringify({
      engine: "docxtemplater",
      docs: count,
      docs_per_s: rate,
      docs_per_s_store: storeRate,
    }),
  );
}

main();
