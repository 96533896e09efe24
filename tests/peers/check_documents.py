#!/usr/bin/env python3
"""CI peer check of the example project's documents.

Every DOCX under OUT is opened with python-docx, converted to PDF by LibreOffice (headless),
and the PDF's text (pdftotext) is checked for each seed's key content (and for what must not
be there). python-docx also checks the layout a Sitzungsdienst expects: the letterhead in the
first page's header only, table head rows that repeat on every page, signature blocks that keep
together, and the document properties (title = Betreff, author = the issuing office, the
paper's date, German).

Usage: check_documents.py OUT_DIR PDF_DIR
"""
import glob
import os
import re
import subprocess
import sys

import docx  # python-docx

# Paper id (with „#name“ for a further group) -> {file-name prefix: [phrases the PDF must contain]}
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
            # The signature table of seed 000.
            "Datum / Unterschrift Auftraggeber",
            "Landrat:",
            "Datum / Unterschrift Auftragnehmer/in",
            "U. Cramer:",
            "H. Bott:",
            "S. Yildiz:",
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
    # The Beschlussauszug of the Kreistag, decided per point (votes illustrative).
    "2021-042#beschluss": {
        "Beschluss_Kreistag_2021-03-23_": [
            "Beschlussauszug",
            "Kreistag Unna",
            "23.03.2021",
            "geändert beschlossen",
            "Ja 41, Nein 12, Enthaltungen 3",
            "Der Kreistag nimmt das Handlungskonzept",
            "insbesondere der Arbeitsgemeinschaft der Wohlfahrtsverbände",
            "(geändert durch Ergänzungsantrag 042/21-1 der Fraktion GRÜNE im Kreistag)",
            "Antrag 042/21-1 Ziffer 2: beschlossen (Ja 30, Nein 22, Enthaltungen 4, befangen 1)",
        ],
        "Beschluss_Kreisausschuss_2021-03-22_": ["Beschlussauszug", "Kreisausschuss", "22.03.2021"],
    },
    "2021-042-1": {
        "Ergaenzungsantrag_": [
            "Ergänzungsantrag",
            "042/21",
            "Stärkere Einbindung der freien Wohlfahrtsverbände",
            "Begründung",
            "Herbert Goldmann",
            "Ansprechpartnern*innen",
            # Addressed to both bodies in order, the meetings on consecutive days (seed 003).
            "an den Kreisausschuss und den Kreistag",
            "am 22./23.03.2021",
        ],
    },
    "2017-oelde-integrationskonzept": {
        "Beschlussvorlage_": [
            "Fortschreibung des Integrationskonzeptes",
            "19,5 Wochenstunden",
            "33.000 €/Jahr",
            "Stadt Oelde",
            "Der Bürgermeister",
        ],
    },
    "2026-017": {"Beschlussvorlage_": ["017/26", "Rahmenkonzept"]},
}


# Paper id -> {file-name prefix: [phrases the PDF text must not contain]}
UNEXPECTED = {
    # The seed's form has no rows for the illustrative co-signers of the kreisinterne Abstimmung.
    "2018-projektauftrag-sozialarbeit": {"Projektauftrag_": ["N. N.", "Kämmerei", "Mitzeichnung"]},
    "2017-oelde-integrationskonzept": {"Beschlussvorlage_": ["Vielseitig. Ideenreich. Echt."]},
}

# Paper id -> (file-name prefix, core title, core author, created date, first letterhead line)
PROPERTIES = {
    "2018-projektauftrag-sozialarbeit": (
        "Projektauftrag_",
        "Kommunale Sozialarbeit nachhaltig verankern!",
        "FB Soziale Sicherung",
        "2018-10-25",
        "Kreis Groß-Gerau",
    ),
    "2019-mitteilung-sozialplanung": (
        "Mitteilungsvorlage_",
        "Sozial- und Gesundheitsplanung im Rhein-Sieg-Kreis",
        "50.2 - Grundsatz- und Planungsaufgaben; Betreuungsbehörde",
        "2019-05-20",
        "Rhein-Sieg-Kreis",
    ),
    "2021-042-1": (
        "Ergaenzungsantrag_",
        "Stärkere Einbindung der freien Wohlfahrtsverbände gefordert",
        "Fraktion GRÜNE im Kreistag",
        "2021-02-09",
        "Fraktion GRÜNE im Kreistag",
    ),
    "2017-oelde-integrationskonzept": (
        "Beschlussvorlage_",
        "Fortschreibung des Integrationskonzeptes - Zukünftige Integrationsarbeit",
        "Stadt Oelde",
        None,
        "Stadt Oelde",
    ),
}

# Body id -> {file name of an agenda: [phrases its PDF text must contain]}
AGENDAS = {
    "ausschuss-sig": {
        "Tagesordnung_ausschuss-sig_2027-01-21.docx": [
            "Tagesordnung",
            "Ausschuss für Soziales, Integration und Gesundheit",
            "Donnerstag, 21.01.2027",
            "Öffentlicher Teil",
            "TOP 1 Eröffnung, Feststellung der ordnungsgemäßen Ladung und Beschlussfähigkeit",
            "Rahmenkonzept Kommunale Sozialarbeit",
            "Drucksache 017/26 · Beschlussvorlage · Vorberatung",
            "Nichtöffentlicher Teil",
            "Mitteilungen und Anfragen",
        ],
    },
}

# Paper id -> (file-name prefix, phrases the PDF text must hold in this order): the motion's own
# Ziffern with what each does, the Kurzfassung and the Finanzen box of the Vorlage in flight.
IN_ORDER = {
    "2026-017-1": (
        "Ergaenzungsantrag_",
        [
            "Die Fraktion BÜNDNIS 90/DIE GRÜNEN im Kreistag Groß-Gerau beantragt:",
            "1. Der Kreisausschuss wird beauftragt",
            "(ersetzt Punkt 2 des Beschlussvorschlags)",
            "2. Die Stellen der kommunalen Sozialarbeit",
            "(ergänzt den Beschlussvorschlag um einen neuen Punkt)",
            "3. In Nummer 2 des Rahmenkonzepts",
            "(ändert Anlage 1 der Vorlage)",
            "4. Die Verwaltung legt",
            "(weiterer Antrag neben dem Beschlussvorschlag)",
            # A Ziffer on a sub-point, named with the letter the Vorlage prints.
            "5. die Verwendung der Asylpauschale und der weiteren Landesmittel",
            "(ersetzt Punkt 3 b) des Beschlussvorschlags)",
            "Begründung",
        ],
    ),
    "2026-017": (
        "Beschlussvorlage_",
        [
            "Dezernat: Dezernat II",
            "Dienststelle: Projektgruppe Kommunale Sozialarbeit",
            "Kurzfassung:",
            "Kreis und Städte und Gemeinden sichern die kommunale Sozialarbeit dauerhaft",
            "Beschlussvorschlag:",
            "Der Kreistag beschließt nach Vorberatung",
            "1. Der Kreistag stimmt dem Rahmenkonzept",
            "b) die Verwendung der Asylpauschale,",
            "Finanzielle Auswirkungen: ja",
            "Art: jährlich",
            "Aufwand: 480.000 €",
            "Ertrag: 310.000 €",
            "Haushaltsstelle/Produkt: Produkt 05.02.01",
            "Anlage 1: Rahmenkonzept Kommunale Sozialarbeit",
        ],
    ),
}

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def has(element, tag):
    """Whether an lxml element has a WordprocessingML descendant of this local name."""
    return element.find(f".//{W}{tag}") is not None


def paragraph_props(cell_or_doc, text):
    """The first paragraph whose text is exactly `text` (python-docx paragraphs and cells)."""
    for paragraph in cell_or_doc.paragraphs:
        if paragraph.text.strip() == text:
            return paragraph._p
    return None


def check_layout(path, document, problems):
    """Letterhead on page 1 only, repeating head rows, signature blocks kept together."""
    section = document.sections[0]
    if not section.different_first_page_header_footer:
        problems.append(f"{path}: no first-page header (w:titlePg)")
    elif section.first_page_header.is_linked_to_previous:
        problems.append(f"{path}: the first-page header is missing")
    for table in document.tables:
        head = table.rows[0]
        title = head.cells[0].text.strip()
        if title == "Gremium" or title.startswith("Datum / Unterschrift"):
            if not has(head._tr, "tblHeader"):
                problems.append(f"{path}: head row „{title}“ does not repeat on each page")
            for row in table.rows:
                if not has(row._tr, "cantSplit"):
                    problems.append(f"{path}: a row of „{title}“ may split across pages")
        if title.startswith("Datum / Unterschrift"):
            for row in table.rows:
                for paragraph in row.cells[0].paragraphs:
                    if not has(paragraph._p, "keepNext"):
                        problems.append(f"{path}: „{paragraph.text}“ does not keep with the next")
    if "Mitteilungsvorlage_" in os.path.basename(path):
        p = paragraph_props(document, "Im Auftrag")
        if p is None or not has(p, "keepNext"):
            problems.append(f"{path}: „Im Auftrag“ does not keep with the name below")


def check_properties(path, document, expected, problems):
    """Title, author, date and language of docProps/core.xml."""
    _, title, author, created, letterhead = expected
    core = document.core_properties
    if core.title != title:
        problems.append(f"{path}: document title „{core.title}“, expected „{title}“")
    if core.author != author:
        problems.append(f"{path}: document author „{core.author}“, expected „{author}“")
    if core.language != "de-DE":
        problems.append(f"{path}: document language „{core.language}“, expected de-DE")
    got = core.created.date().isoformat() if core.created else None
    if got != created:
        problems.append(f"{path}: document created {got}, expected {created}")
    first = document.sections[0].first_page_header.paragraphs
    if not first or first[0].text.strip() != letterhead:
        shown = first[0].text if first else ""
        problems.append(f"{path}: letterhead „{shown}“, expected „{letterhead}“")


def check_agendas(out_dir, pdf_dir, problems):
    """The agendas (Tagesordnung) of the example's meetings: both parts, the TOPs, the paper."""
    checked = 0
    for body, documents in AGENDAS.items():
        for name, phrases in documents.items():
            path = os.path.join(out_dir, body, name)
            pdf = os.path.join(pdf_dir, name[:-5] + ".pdf")
            if not os.path.exists(path):
                problems.append(f"{body}: no agenda {name} in {out_dir}")
                continue
            if not os.path.exists(pdf):
                problems.append(f"{path}: LibreOffice wrote no PDF")
                continue
            flat = normalise(subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout)
            for phrase in phrases:
                if phrase not in flat:
                    problems.append(f"{path}: PDF text lacks „{phrase}“")
            checked += 1
    return checked


def normalise(text):
    text = text.replace("\u00ad", "").replace("\u00a0", " ")
    text = re.sub(r"-\n(?=[a-zäöüß])", "", text)  # words hyphenated at line ends
    return re.sub(r"\s+", " ", text)


def check_in_order(out_dir, pdf_dir, problems):
    """Phrases of IN_ORDER, each after the one before, in the -layout or the plain PDF text."""
    checked = 0
    for paper, (prefix, phrases) in IN_ORDER.items():
        matches = glob.glob(os.path.join(out_dir, paper, prefix + "*.docx"))
        if not matches:
            problems.append(f"{paper}: no document {prefix}*.docx in {out_dir}")
            continue
        for match in matches:
            pdf = os.path.join(pdf_dir, os.path.basename(match)[:-5] + ".pdf")
            if not os.path.exists(pdf):
                problems.append(f"{match}: LibreOffice wrote no PDF")
                continue
            texts = [
                normalise(subprocess.run(["pdftotext", *mode, pdf, "-"], capture_output=True, text=True, check=True).stdout)
                for mode in (["-layout"], [])
            ]
            for text in texts:
                at, missing = 0, None
                for phrase in phrases:
                    found = text.find(phrase, at)
                    if found < 0:
                        missing = phrase
                        break
                    at = found + len(phrase)
                if missing is None:
                    break
            else:
                problems.append(f"{match}: PDF text lacks „{missing}“ (in order)")
            checked += 1
    return checked


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
            continue
        check_layout(path, document, problems)
        paper = os.path.basename(os.path.dirname(path))
        expected = PROPERTIES.get(paper)
        if expected and os.path.basename(path).startswith(expected[0]):
            check_properties(path, document, expected, problems)
    if files:
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", pdf_dir, *files],
            check=True,
            stdout=subprocess.DEVNULL,
            timeout=600,
        )
    for key, documents in EXPECTED.items():
        paper = key.split("#")[0]  # „#…“: a second group of documents of the same paper
        absent = UNEXPECTED.get(key, {})
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
                for phrase in absent.get(prefix, []):
                    if phrase in text or phrase in flat:
                        problems.append(f"{match}: PDF text has „{phrase}“")
                checked += 1
    checked += check_agendas(out_dir, pdf_dir, problems)
    checked += check_in_order(out_dir, pdf_dir, problems)
    for problem in problems:
        print(problem)
    print(f"{checked} passed, {len(problems)} failed")
    return 1 if problems or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
