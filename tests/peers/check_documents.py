#!/usr/bin/env python3
"""CI peer check of the example project's documents.

Every DOCX under OUT is opened with python-docx, converted to PDF by LibreOffice (headless),
and the PDF's text (pdftotext) is checked for each seed's key content.

Usage: check_documents.py OUT_DIR PDF_DIR
"""
import glob
import os
import re
import subprocess
import sys

import docx  # python-docx

# Paper id -> {file-name prefix: [phrases the PDF text must contain]}
EXPECTED = {
    "2018-projektauftrag-sozialarbeit": {
        "Projektauftrag_": [
            "Kommunale Sozialarbeit nachhaltig verankern",
            "Zielsetzung des Projektes",
            "Rahmenkonzept",
            "Projektgruppe",
            "25.10.2018",
            "06.11.2018",
            "12.11.2018",
            "S. Yildiz",
        ],
    },
    "2019-mitteilung-sozialplanung": {
        "Mitteilungsvorlage_": [
            "Sozial- und Gesundheitsplanung im Rhein-Sieg-Kreis",
            "Ausschuss für Soziales, Gleichstellung und Integration",
            "03.06.2019",
            "Kenntnisnahme",
            "Vorbemerkungen",
            "Landesförderung",
            "Zusammen im Quartier",
        ],
    },
    "2017-hemmingen-pakt-integration": {
        "Beschlussvorlage_": [
            "Pakt für Integration",
            "Gemeinderat",
            "Sachverhalt",
            "Beschlussvorschlag",
            "Integrationsmanager",
            "103.55",
        ],
    },
    "2021-042": {
        "Beschlussvorlage_": ["Kommunales Integrationsmanagement", "Kreistag", "Beschlussvorschlag"],
        "Beschlussentwurf_": [
            "Arbeitsgemeinschaft der Wohlfahrtsverbände",
            "Ausschuss für Arbeit, Soziales, Integration und Familie",
            "2 der 8 geförderten VzÄ",
            "Ergänzungsantrag",
        ],
    },
    "2021-042-1": {
        "Ergaenzungsantrag_": [
            "Ergänzungsantrag",
            "042/21",
            "Stärkere Einbindung der freien Wohlfahrtsverbände",
            "Begründung",
            "Herbert Goldmann",
        ],
    },
    "2017-oelde-integrationskonzept": {
        "Beschlussvorlage_": [
            "Fortschreibung des Integrationskonzeptes",
            "19,5 Wochenstunden",
            "33.000",
        ],
    },
    "2026-017": {"Beschlussvorlage_": ["017/26", "Rahmenkonzept"]},
}


def normalise(text):
    text = text.replace("\u00ad", "").replace("\u00a0", " ")
    text = re.sub(r"-\n(?=[a-zäöüß])", "", text)  # words hyphenated at line ends
    return re.sub(r"\s+", " ", text)


def main():
    out_dir, pdf_dir = sys.argv[1], sys.argv[2]
    os.makedirs(pdf_dir, exist_ok=True)
    files = sorted(glob.glob(os.path.join(out_dir, "*", "*.docx")))
    problems = []
    checked = 0
    for path in files:
        try:
            document = docx.Document(path)
            _ = [p.text for p in document.paragraphs]
        except Exception as err:  # noqa: BLE001 - any failure to open is a finding
            problems.append(f"{path}: python-docx cannot open it: {err}")
    if files:
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", pdf_dir, *files],
            check=True,
            stdout=subprocess.DEVNULL,
            timeout=600,
        )
    for paper, documents in EXPECTED.items():
        for prefix, phrases in documents.items():
            matches = glob.glob(os.path.join(out_dir, paper, prefix + "*.docx"))
            if not matches:
                problems.append(f"{paper}: no document {prefix}*.docx in {out_dir}")
                continue
            for match in matches:
                pdf = os.path.join(pdf_dir, os.path.basename(match)[:-5] + ".pdf")
                if not os.path.exists(pdf):
                    problems.append(f"{match}: LibreOffice wrote no PDF")
                    continue
                text = normalise(subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True, check=True).stdout)
                flat = normalise(subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout)
                for phrase in phrases:
                    if phrase not in text and phrase not in flat:
                        problems.append(f"{match}: PDF text lacks „{phrase}“")
                checked += 1
    for problem in problems:
        print(problem)
    print(f"{checked} passed, {len(problems)} failed")
    return 1 if problems or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
