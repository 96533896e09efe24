//! Render benchmark: ratsflow against docxtpl (Python) and docxtemplater (Node).
//!
//! Run by `bash bench/render.sh`, which runs this target first and the peers after it. This
//! target writes everything the peers need into one folder and renders the ratsflow side:
//!
//! - `template-jinja.docx`: a Beschlussvorlage with plain `{{ }}` values, a `{%tr for %}`
//!   Beratungsfolge row loop, a `{%p for %}` proposal loop and a `{%p if %}` financing
//!   paragraph, a header and a footer. The same file is rendered by ratsflow and docxtpl.
//! - `template-docxtemplater.docx`: the same layout in docxtemplater's syntax (`{{`/`}}`
//!   delimiters, `{{#…}}…{{/…}}` sections, paragraph loops).
//! - `data.json`: the data all three engines get — paper 2021-042 of the project (with the
//!   fields a complete Beschlussvorlage has added, see [`EXTRAS`]), shaped like the context
//!   ratsflow gives its templates.
//! - `project/`: a project with 1,000 variants of that paper for timing `ratsflow render`.
//! - `ratsflow.json`: the measured throughput; `ratsflow.docx`: one rendered document.
//!
//! Usage: `cargo bench --bench render -- [DIR] [N]` (default `target/bench-render/work`,
//! 2,000 renders after a warm-up, on one thread).

use std::collections::BTreeMap;
use std::fs;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use docx_rs::{
    AlignmentType, Docx, Footer, Header, Paragraph, Run, Table, TableCell, TableRow, WidthType,
};
use ratsflow::docx::DocxTemplate;
use serde_json::{Value as Json, json};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

/// Fields a complete Beschlussvorlage has that the source paper (a reconstruction) lacks.
/// Illustrative values; appended to every paper of the benchmark project as YAML and part of
/// the data the engines get.
const EXTRAS: &str = r#"
# Added by benches/render.rs (illustrative values, so that every template field is filled).
date: 2021-03-02
lead_office: Fachbereich Arbeit und Soziales
author: fb-soziales-unna
file_number: "50.2-KIM/2021"
financing: "Die Stellen werden über die Förderrichtlinie KIM NRW zu 100 % aus Landesmitteln finanziert; für den Kreis Unna entstehen keine zusätzlichen Personalkosten."
closing: Um Beschlussfassung wird gebeten.
"#;

/// The date the documents are rendered on (the data, not the clock).
const TODAY: &str = "2021-03-01";

/// Papers in the `ratsflow render` project.
const PROJECT_PAPERS: usize = 1_000;

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    // `cargo bench` passes `--bench`; everything else is ours.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let dir = args
        .first()
        .map_or_else(|| root.join("target/bench-render/work"), PathBuf::from);
    let count: u32 = args.get(1).map_or(2_000, |n| {
        n.parse()
            .unwrap_or_else(|_| fail(&format!("N is not a number: {n}")))
    });
    fs::create_dir_all(&dir).unwrap_or_else(|e| fail(&format!("{}: {e}", dir.display())));

    let paper_yaml = read(&root.join("papers/2021-042.yaml"));
    let data = context(&root, &paper_yaml);
    let jinja = template(Syntax::Jinja);
    let docxtemplater = template(Syntax::Docxtemplater);
    write(
        &dir.join("data.json"),
        &serde_json::to_vec_pretty(&data).unwrap_or_default(),
    );
    write(&dir.join("template-jinja.docx"), &jinja);
    write(&dir.join("template-docxtemplater.docx"), &docxtemplater);
    let note = write_project(&root, &dir.join("project"), &paper_yaml, &jinja);
    println!("project for `ratsflow render`: {PROJECT_PAPERS} papers, {note}");

    let rate = bench_ratsflow(&dir, &jinja, &data, count);
    let result = json!({ "engine": "ratsflow", "docs": count, "docs_per_s": rate });
    write(
        &dir.join("ratsflow.json"),
        &serde_json::to_vec(&result).unwrap_or_default(),
    );
}

/// Loads the template once, renders it `count` times on this thread (after a warm-up) and
/// returns documents per second.
fn bench_ratsflow(dir: &Path, bytes: &[u8], data: &Json, count: u32) -> f64 {
    let started = Instant::now();
    let template = DocxTemplate::load("template-jinja.docx", bytes)
        .unwrap_or_else(|e| fail(&format!("ratsflow cannot load the template: {e}")));
    let load = started.elapsed();
    let value = minijinja::Value::from_serialize(data);
    let render = || {
        template
            .render(&value)
            .unwrap_or_else(|e| fail(&format!("ratsflow cannot render: {e}")))
    };
    let sample = render();
    verify(&sample, data);
    write(&dir.join("ratsflow.docx"), &sample);
    for _ in 0..count / 10 {
        std::hint::black_box(render());
    }
    let started = Instant::now();
    let mut bytes_out = 0;
    for _ in 0..count {
        bytes_out += std::hint::black_box(render()).len();
    }
    let elapsed = started.elapsed().as_secs_f64();
    let rate = f64::from(count) / elapsed;
    println!(
        "ratsflow: load {load:.2?}; {count} renders in {elapsed:.3} s on 1 thread = {rate:.0} docs/s \
         ({:.1} KiB/doc, {:.1} µs/doc)",
        bytes_out as f64 / f64::from(count) / 1024.0,
        elapsed * 1e6 / f64::from(count)
    );
    rate
}

/// Checks that a rendered document is the real thing: the title, the last proposal point,
/// the Beratungsfolge and the financing are in `word/document.xml` and no tag is left.
fn verify(docx: &[u8], data: &Json) {
    let mut archive = ZipArchive::new(Cursor::new(docx))
        .unwrap_or_else(|e| fail(&format!("output is no zip: {e}")));
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .unwrap_or_else(|e| fail(&format!("output has no word/document.xml: {e}")))
        .read_to_string(&mut xml)
        .unwrap_or_else(|e| fail(&format!("word/document.xml unreadable: {e}")));
    let paper = &data["paper"];
    let last_point = paper["proposal"]
        .as_array()
        .and_then(|p| p.last())
        .and_then(Json::as_str)
        .unwrap_or_default();
    let expected = [
        paper["title"].as_str().unwrap_or_default(),
        last_point,
        paper["consultations"][1]["body"]
            .as_str()
            .unwrap_or_default(),
        "Finanzielle Auswirkungen",
    ];
    for text in expected {
        if text.is_empty() || !xml.contains(text) {
            fail(&format!("rendered document lacks „{text}“"));
        }
    }
    if xml.contains("{{") || xml.contains("{%") {
        fail("rendered document still has template tags");
    }
}

// --- data -------------------------------------------------------------------------------

/// The data of paper 2021-042 plus [`EXTRAS`], shaped like ratsflow's template context:
/// people and bodies resolved through the project's directory, the Beratungsfolge from the
/// workflow's consultation stages and the paper's meeting dates.
fn context(root: &Path, paper_yaml: &str) -> Json {
    let paper: Json = yaml(&format!("{paper_yaml}\n{EXTRAS}"), "paper");
    let directory: Json = yaml(&read(&root.join("workflows/directory.yaml")), "directory");
    let workflow_id = str_of(&paper["workflow"]);
    let workflow: Json = yaml(
        &read(&root.join(format!("workflows/{workflow_id}.yaml"))),
        "workflow",
    );
    let org_id = str_of(&paper["organisation"]);
    let org = &directory["organisations"][org_id];
    let person = &directory["people"][str_of(&paper["author"])];
    let consultations: Vec<Json> = workflow["stages"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(|stage| {
            let consult = stage.get("consult")?;
            let body = &directory["bodies"][str_of(&consult["body"])];
            Some(json!({
                "body": body["name"],
                "date": paper["meetings"][str_of(&stage["id"])],
                "role": consult["role"],
            }))
        })
        .collect();
    let data = json!({
        "org": { "name": org["name"], "letterhead": org["letterhead"] },
        "paper": {
            "id": "2021-042",
            "reference": paper["reference"],
            "kind": paper["kind"],
            "title": paper["title"],
            "date": paper["date"],
            "lead_office": paper["lead_office"],
            "author": {
                "name": person["name"],
                "function": person["function"],
                "email": person["email"],
            },
            "file_number": paper["file_number"],
            "consultations": consultations,
            "facts": paper["facts"],
            "proposal": paper["proposal"],
            "financing": paper["financing"],
            "closing": paper["closing"],
        },
        "today": TODAY,
    });
    if consultations_len(&data) < 2 || data["paper"]["author"]["name"].is_null() {
        fail("paper 2021-042, its workflow or the directory changed: cannot build the data");
    }
    data
}

fn consultations_len(data: &Json) -> usize {
    data["paper"]["consultations"]
        .as_array()
        .map_or(0, Vec::len)
}

fn yaml(text: &str, what: &str) -> Json {
    serde_yaml::from_str(text).unwrap_or_else(|e| fail(&format!("{what}: {e}")))
}

fn str_of(value: &Json) -> &str {
    value.as_str().unwrap_or_default()
}

// --- templates --------------------------------------------------------------------------

/// The two tag syntaxes of the same template.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Syntax {
    /// minijinja/Jinja2 with docxtpl's structural tags: ratsflow and docxtpl.
    Jinja,
    /// docxtemplater with `{{`/`}}` delimiters and paragraph loops.
    Docxtemplater,
}

impl Syntax {
    /// A printed value.
    fn value(self, path: &str) -> String {
        match self {
            Syntax::Jinja => format!("{{{{ {path} }}}}"),
            Syntax::Docxtemplater => format!("{{{{{path}}}}}"),
        }
    }
}

fn text(text: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(text))
}

/// A paragraph of runs: literal text and values, each value in a run of its own.
fn line(runs: &[&str]) -> Paragraph {
    runs.iter()
        .fold(Paragraph::new(), |p, r| p.add_run(Run::new().add_text(*r)))
}

fn heading(title: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(title).bold().size(26))
}

fn cell(text: &str) -> TableCell {
    TableCell::new().add_paragraph(Paragraph::new().add_run(Run::new().add_text(text)))
}

fn row(cells: &[&str]) -> TableRow {
    TableRow::new(cells.iter().map(|c| cell(c)).collect())
}

/// The Beschlussvorlage in one syntax, as a deflated `.docx`.
fn template(syntax: Syntax) -> Vec<u8> {
    let v = |path: &str| syntax.value(path);
    let jinja = syntax == Syntax::Jinja;

    let header = Header::new().add_paragraph(
        Paragraph::new()
            .add_run(Run::new().add_text(v("org.name")).bold())
            .add_run(Run::new().add_tab())
            .add_run(Run::new().add_text("Drucksache "))
            .add_run(Run::new().add_text(v("paper.reference"))),
    );
    let footer = Footer::new().add_paragraph(
        line(&[
            &v("paper.kind"),
            " ",
            &v("paper.reference"),
            " – Stand ",
            &v("today"),
        ])
        .align(AlignmentType::Center),
    );

    let mut rows = vec![row(&["Gremium", "Datum", "Zuständigkeit"])];
    if jinja {
        rows.push(row(&["{%tr for c in paper.consultations %}", "", ""]));
        rows.push(row(&[&v("c.body"), &v("c.date"), &v("c.role")]));
        rows.push(row(&["{%tr endfor %}", "", ""]));
    } else {
        rows.push(row(&[
            "{{#paper.consultations}}{{body}}",
            "{{date}}",
            "{{role}}{{/paper.consultations}}",
        ]));
    }
    let table = Table::new(rows)
        .set_grid(vec![4800, 1800, 2400])
        .width(9000, WidthType::Dxa);

    let (loop_open, point, loop_close) = if jinja {
        (
            "{%p for point in paper.proposal %}",
            v("point"),
            "{%p endfor %}",
        )
    } else {
        ("{{#paper.proposal}}", v("."), "{{/paper.proposal}}")
    };
    let (if_open, if_close) = if jinja {
        ("{%p if paper.financing %}", "{%p endif %}")
    } else {
        ("{{#paper.financing}}", "{{/paper.financing}}")
    };

    let docx = Docx::new()
        .header(header)
        .footer(footer)
        .add_paragraph(Paragraph::new().add_run(Run::new().add_text(v("org.name")).bold().size(32)))
        .add_paragraph(
            Paragraph::new()
                .add_run(Run::new().add_text(v("paper.kind")).bold().size(28))
                .add_run(Run::new().add_text(" ").size(28))
                .add_run(Run::new().add_text(v("paper.reference")).bold().size(28)),
        )
        .add_paragraph(line(&["Datum: ", &v("paper.date")]))
        .add_paragraph(line(&["Aktenzeichen: ", &v("paper.file_number")]))
        .add_paragraph(line(&["Federführung: ", &v("paper.lead_office")]))
        .add_paragraph(line(&[
            "Sachbearbeitung: ",
            &v("paper.author.name"),
            ", ",
            &v("paper.author.function"),
            " (",
            &v("paper.author.email"),
            ")",
        ]))
        .add_paragraph(
            Paragraph::new()
                .add_run(Run::new().add_text("Betreff: ").bold())
                .add_run(Run::new().add_text(v("paper.title")).bold()),
        )
        .add_paragraph(heading("Beratungsfolge"))
        .add_table(table)
        .add_paragraph(heading("Sachverhalt"))
        .add_paragraph(text(&v("paper.facts")).align(AlignmentType::Both))
        .add_paragraph(heading("Beschlussvorschlag"))
        .add_paragraph(text(loop_open))
        .add_paragraph(text(&point).align(AlignmentType::Both))
        .add_paragraph(text(loop_close))
        .add_paragraph(text(if_open))
        .add_paragraph(line(&["Finanzielle Auswirkungen: ", &v("paper.financing")]))
        .add_paragraph(text(if_close))
        .add_paragraph(text(&v("paper.closing")))
        .add_paragraph(line(&[
            "Kennung: ",
            &v("paper.id"),
            ", Stand: ",
            &v("today"),
        ]));
    let mut packed = Cursor::new(Vec::new());
    docx.build()
        .pack(&mut packed)
        .unwrap_or_else(|e| fail(&format!("docx-rs cannot pack: {e}")));
    rezip(&packed.into_inner())
}

/// Re-zips a package: every part deflated, `[Content_Types].xml` first, no folder entries.
fn rezip(bytes: &[u8]) -> Vec<u8> {
    let mut archive =
        ZipArchive::new(Cursor::new(bytes)).unwrap_or_else(|e| fail(&format!("rezip: {e}")));
    let mut parts = BTreeMap::new();
    for index in 0..archive.len() {
        let mut file = archive
            .by_index(index)
            .unwrap_or_else(|e| fail(&format!("rezip: {e}")));
        if file.is_dir() {
            continue;
        }
        let mut data = Vec::new();
        file.read_to_end(&mut data)
            .unwrap_or_else(|e| fail(&format!("rezip: {e}")));
        parts.insert(file.name().to_owned(), data);
    }
    let mut names: Vec<&String> = parts.keys().collect();
    names.sort_by_key(|n| (n.as_str() != "[Content_Types].xml", n.as_str()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    for name in names {
        writer
            .start_file(name.as_str(), options)
            .and_then(|()| writer.write_all(&parts[name]).map_err(Into::into))
            .unwrap_or_else(|e| fail(&format!("rezip {name}: {e}")));
    }
    writer
        .finish()
        .unwrap_or_else(|e| fail(&format!("rezip: {e}")))
        .into_inner()
}

// --- project ----------------------------------------------------------------------------

/// Writes a project with [`PROJECT_PAPERS`] variants of paper 2021-042 (own file name and
/// reference each, plus [`EXTRAS`]): the settings, workflows and templates of the repository,
/// or the benchmark's template as `beschlussvorlage.docx` when the repository has none yet.
/// Returns which template the project uses.
fn write_project(root: &Path, project: &Path, paper_yaml: &str, jinja: &[u8]) -> String {
    if project.exists() {
        // Moved aside, deleted by bench/render.sh after the timings: on ext4 without a
        // journal, creating files right after a mass delete is slowed down by the inode
        // allocator skipping recently deleted inodes, which would skew `ratsflow render`.
        let trash = project.with_file_name("trash").join(format!(
            "project-{}",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ));
        fs::create_dir_all(trash.parent().unwrap_or(project))
            .and_then(|()| fs::rename(project, &trash))
            .unwrap_or_else(|e| fail(&format!("{}: {e}", project.display())));
    }
    for sub in ["papers", "state", "out", "workflows", "templates"] {
        fs::create_dir_all(project.join(sub))
            .unwrap_or_else(|e| fail(&format!("{}: {e}", project.display())));
    }
    write(
        &project.join("ratsflow.yaml"),
        read(&root.join("ratsflow.yaml")).as_bytes(),
    );
    copy_dir(&root.join("workflows"), &project.join("workflows"));
    copy_dir(&root.join("templates"), &project.join("templates"));
    let own = project.join("templates/beschlussvorlage.docx");
    let note = if own.is_file() {
        "repository template templates/beschlussvorlage.docx".to_owned()
    } else {
        write(&own, jinja);
        "the benchmark's own template as templates/beschlussvorlage.docx \
         (the repository has no templates/beschlussvorlage.docx yet)"
            .to_owned()
    };
    let reference_line = "reference: \"042/21\"";
    if !paper_yaml.contains(reference_line) {
        fail("papers/2021-042.yaml has no `reference: \"042/21\"` line to vary");
    }
    for n in 1..=PROJECT_PAPERS {
        let text = paper_yaml.replace(reference_line, &format!("reference: \"{n:04}/21\""));
        write(
            &project.join(format!("papers/bench-{n:04}.yaml")),
            format!("{text}\n{EXTRAS}").as_bytes(),
        );
    }
    note
}

fn copy_dir(from: &Path, to: &Path) {
    let entries = fs::read_dir(from).unwrap_or_else(|e| fail(&format!("{}: {e}", from.display())));
    for entry in entries.flatten() {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            fs::create_dir_all(&target)
                .unwrap_or_else(|e| fail(&format!("{}: {e}", target.display())));
            copy_dir(&path, &target);
        } else {
            fs::copy(&path, &target).unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
        }
    }
}

// --- helpers ----------------------------------------------------------------------------

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())))
}

fn write(path: &Path, bytes: &[u8]) {
    fs::write(path, bytes).unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
}

fn fail(message: &str) -> ! {
    eprintln!("render bench: {message}");
    std::process::exit(1)
}
