//! The command line, declared with clap. Doc comments here are the help text users see;
//! [`german`] replaces what clap itself prints (headings, help flags, usage errors) with German.

mod german;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

pub use german::{Exit, command, parse};

/// ratsflow trägt Drucksachen durch ihren Beratungsweg: Projektauftrag, interne Abstimmung,
/// Ausschuss, Bürgermeisterdienstversammlung, Kreistag oder Gemeinderat.
#[derive(Debug, Parser)]
#[command(name = "ratsflow", version, long_about = None)]
pub struct Cli {
    /// Projektordner (enthält ratsflow.yaml); Standard: RATSFLOW_PROJECT, sonst der aktuelle Ordner.
    #[arg(
        long,
        global = true,
        value_name = "ORDNER",
        env = "RATSFLOW_PROJECT",
        hide_env = true
    )]
    pub project: Option<PathBuf>,

    /// So tun, als wäre jetzt dieser Zeitpunkt: 2019-05-20 oder 2019-05-20T08:00:00+02:00.
    #[arg(long, global = true, value_name = "ZEITPUNKT")]
    pub now: Option<String>,

    /// Nur Fehler ausgeben.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Mehr ausgeben.
    #[arg(long, short, global = true)]
    pub verbose: bool,

    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Legt ein neues Projekt an (Einstellungen, Verzeichnis, Ablauf, Vorlagen, Beispiel-Drucksache).
    Init {
        /// Zielordner; Standard: der aktuelle Ordner.
        #[arg(value_name = "ORDNER")]
        dir: Option<PathBuf>,
    },
    /// Prüft Einstellungen, Verzeichnis, Abläufe und Drucksachen und meldet alle Probleme.
    Check,
    /// Legt eine neue Drucksache mit der nächsten freien Nummer an.
    New(NewArgs),
    /// Zeigt, wo jede Drucksache steht; mit DRUCKSACHE zusätzlich ihren Verlauf.
    Status {
        /// Kennung (Dateiname) oder Drucksachen-Nummer.
        #[arg(value_name = "DRUCKSACHE")]
        paper: Option<String>,
    },
    /// Trägt eine Unterschrift ein.
    Sign(SignArgs),
    /// Gibt eine Drucksache mit Begründung zurück.
    Return(ReturnArgs),
    /// Trägt den Beschluss eines Gremiums ein.
    Decide(DecideArgs),
    /// Zieht eine Drucksache oder einen Antrag zurück.
    Withdraw(WithdrawArgs),
    /// Trägt eine redaktionelle Korrektur einer beschlossenen Drucksache ein.
    Correct(CorrectArgs),
    /// Zeigt die Tagesordnung einer Sitzung; mit --set wird sie festgelegt.
    Meeting(MeetingArgs),
    /// Schreibt die Dokumente (DOCX) nach out/; ohne DRUCKSACHE alle, deren Eingaben sich geändert haben.
    Render {
        /// Kennungen oder Drucksachen-Nummern.
        #[arg(value_name = "DRUCKSACHE")]
        papers: Vec<String>,
    },
    /// Schreibt die öffentlichen Daten des Projekts als OParl-1.1-Schnittstelle (statische JSON-Dateien) nach out/oparl/.
    Oparl,
    /// Ein Durchlauf über das Projekt: prüfen, Dokumente schreiben, fällige Nachrichten senden, den Stand zusammenfassen.
    Run,
    /// Beobachtet das Projekt und wiederholt den Durchlauf bei jeder Änderung und jeder fälligen Frist.
    Watch {
        /// Abfragen statt Dateiereignisse, alle N Millisekunden (für Netzlaufwerke).
        #[arg(
            long,
            value_name = "MS",
            num_args = 0..=1,
            default_missing_value = "1000",
            value_parser = german::milliseconds
        )]
        poll: Option<u64>,
        /// Wartezeit in Millisekunden, bis eine Folge von Änderungen als abgeschlossen gilt; Standard: 100.
        #[arg(
            long,
            value_name = "MS",
            default_value_t = 100,
            hide_default_value = true,
            value_parser = german::milliseconds
        )]
        debounce: u64,
    },
    /// Wie `watch`, dazu ein Webdienst: Zeichnen und Zurückgeben über den persönlichen Link aus der E-Mail.
    Serve {
        /// Adresse und Port, z. B. 127.0.0.1:8080; Standard: serve.listen in ratsflow.yaml, sonst 127.0.0.1:8080.
        #[arg(long, value_name = "ADRESSE")]
        listen: Option<String>,
        /// Abfragen statt Dateiereignisse, alle N Millisekunden (für Netzlaufwerke).
        #[arg(
            long,
            value_name = "MS",
            num_args = 0..=1,
            default_missing_value = "1000",
            value_parser = german::milliseconds
        )]
        poll: Option<u64>,
        /// Wartezeit in Millisekunden, bis eine Folge von Änderungen als abgeschlossen gilt; Standard: 100.
        #[arg(
            long,
            value_name = "MS",
            default_value_t = 100,
            hide_default_value = true,
            value_parser = german::milliseconds
        )]
        debounce: u64,
    },
    /// Zeigt vorgemerkte, fehlgeschlagene und versandte Nachrichten; `outbox retry` sendet endgültig fehlgeschlagene erneut.
    Outbox {
        /// `retry`: endgültig fehlgeschlagene Nachrichten erneut senden; `confirm DRUCKSACHE`: den Verlust eines Journals bestätigen, damit für die Drucksache wieder gesendet wird.
        #[arg(value_name = "AKTION")]
        action: Option<String>,
        /// Kennungen oder Drucksachen-Nummern (für `confirm`).
        #[arg(value_name = "DRUCKSACHE")]
        papers: Vec<String>,
    },
    /// Zeigt, welcher Kalender (out/ics/…; mit serve.public_url die Adresse im Webdienst, …/kalender/…) welcher Person und welchem Gremium gehört; nur hier stehen die geheimen Adressen.
    #[command(alias = "ics")]
    Kalender {
        /// Adresse, unter der out/ics/ freigegeben ist (etwa https://rat.example/ics/): zeigt diese Adressen statt Dateien oder Webdienst.
        #[arg(long, value_name = "ADRESSE")]
        url: Option<String>,
    },
}

/// Arguments of `new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// Vorlagenart: Beschlussvorlage, Mitteilungsvorlage, Projektauftrag, Änderungsantrag, Ergänzungsantrag …
    #[arg(value_name = "ART")]
    pub kind: String,
    /// Ablauf (Dateiname unter workflows/ ohne .yaml); Standard: der Ablauf der Drucksachen gleicher Art.
    #[arg(long, value_name = "ABLAUF")]
    pub workflow: Option<String>,
    /// Titel der Drucksache.
    #[arg(long, value_name = "TITEL")]
    pub title: String,
    /// Bei Änderungs- und Ergänzungsanträgen: die Drucksache, deren Beschlussvorschlag der Antrag ändert.
    #[arg(long, value_name = "DRUCKSACHE")]
    pub amends: Option<String>,
    /// Bei einer Stellungnahme: die Drucksache (meist ein Antrag), auf die sie antwortet.
    #[arg(long, value_name = "DRUCKSACHE")]
    pub answers: Option<String>,
    /// Bei Anträgen und Anfragen: die Fraktion (Kennung aus dem Verzeichnis).
    #[arg(long, value_name = "FRAKTION")]
    pub by: Option<String>,
}

/// Arguments of `meeting`.
#[derive(Debug, Args)]
pub struct MeetingArgs {
    /// Das Gremium (Kennung aus dem Verzeichnis).
    #[arg(value_name = "GREMIUM")]
    pub body: String,
    /// Sitzungstag: 2027-01-21 oder 21.01.2027.
    #[arg(value_name = "DATUM")]
    pub date: String,
    /// Die Tagesordnung festlegen: Sitzung und TOP jeder Drucksache werden im Journal eingetragen; später Hinzukommendes bildet den Nachtrag.
    #[arg(long)]
    pub set: bool,
}

/// Arguments of `sign`.
#[derive(Debug, Args)]
pub struct SignArgs {
    /// Kennung oder Drucksachen-Nummer.
    #[arg(value_name = "DRUCKSACHE")]
    pub paper: String,
    /// Wer unterschreibt (Kennung aus dem Verzeichnis).
    #[arg(long = "as", value_name = "PERSON")]
    pub who: String,
    /// Bemerkung zur Unterschrift.
    #[arg(long, value_name = "BEMERKUNG")]
    pub comment: Option<String>,
}

/// Arguments of `return`.
#[derive(Debug, Args)]
pub struct ReturnArgs {
    /// Kennung oder Drucksachen-Nummer.
    #[arg(value_name = "DRUCKSACHE")]
    pub paper: String,
    /// Wer zurückgibt (Kennung aus dem Verzeichnis).
    #[arg(long = "as", value_name = "PERSON")]
    pub who: String,
    /// Begründung (Pflicht).
    #[arg(long, value_name = "BEGRÜNDUNG")]
    pub comment: String,
}

/// Arguments of `withdraw`.
#[derive(Debug, Args)]
pub struct WithdrawArgs {
    /// Kennung oder Drucksachen-Nummer.
    #[arg(value_name = "DRUCKSACHE")]
    pub paper: String,
    /// Wer zurückzieht (Kennung aus dem Verzeichnis).
    #[arg(long = "as", value_name = "PERSON")]
    pub who: String,
    /// Bemerkung zur Rücknahme.
    #[arg(long, value_name = "BEMERKUNG")]
    pub comment: Option<String>,
}

/// Arguments of `correct`.
#[derive(Debug, Args)]
pub struct CorrectArgs {
    /// Kennung oder Drucksachen-Nummer.
    #[arg(value_name = "DRUCKSACHE")]
    pub paper: String,
    /// Wer korrigiert (Kennung aus dem Verzeichnis).
    #[arg(long = "as", value_name = "PERSON")]
    pub who: String,
    /// Was korrigiert wurde (Pflicht).
    #[arg(long, value_name = "BEGRÜNDUNG")]
    pub comment: String,
}

/// Arguments of `decide`.
#[derive(Debug, Args)]
pub struct DecideArgs {
    /// Kennung oder Drucksachen-Nummer.
    #[arg(value_name = "DRUCKSACHE")]
    pub paper: String,
    /// Das beschließende Gremium (Kennung aus dem Verzeichnis).
    #[arg(long, value_name = "GREMIUM")]
    pub body: String,
    /// Wer den Beschluss einträgt (Kennung aus dem Verzeichnis): jemand aus der Geschäftsstelle (office) des Gremiums.
    #[arg(long = "as", value_name = "PERSON")]
    pub who: String,
    /// beschlossen, geändert-beschlossen, abgelehnt, vertagt, verwiesen, zur-kenntnis-genommen, zurückgezogen, empfohlen, nicht-empfohlen.
    #[arg(long, value_name = "ERGEBNIS", required_unless_present = "file")]
    pub result: Option<String>,
    /// Stimmen als Ja:Nein:Enthaltungen (etwa 23:4:2), mit Befangenen 23:4:2:1.
    #[arg(long, value_name = "J:N:E", conflicts_with = "einstimmig")]
    pub votes: Option<String>,
    /// Einstimmig beschlossen.
    #[arg(long)]
    pub einstimmig: bool,
    /// Bei „verwiesen“: das Gremium, an das verwiesen wird (es berät in seiner nächsten Sitzung).
    #[arg(long, value_name = "GREMIUM")]
    pub to: Option<String>,
    /// Beschlussdatei (YAML): Ergebnisse und Stimmen je Punkt und je Ziffer der Anträge.
    #[arg(long, value_name = "DATEI")]
    pub file: Option<std::path::PathBuf>,
    /// Sitzungstag; Standard: der Termin der Beratung, sonst heute.
    #[arg(long, value_name = "DATUM")]
    pub meeting: Option<String>,
    /// Ein Antrag zu dieser Drucksache; danach --adopted oder --rejected. Mehrfach möglich, in der Reihenfolge der Abstimmung.
    #[arg(long, value_name = "ANTRAG", action = clap::ArgAction::Append)]
    pub amendment: Vec<String>,
    /// Der zuvor genannte Antrag wurde angenommen.
    #[arg(long, num_args = 0, default_missing_value = "ja", action = clap::ArgAction::Append)]
    pub adopted: Vec<String>,
    /// Der zuvor genannte Antrag wurde abgelehnt.
    #[arg(long, num_args = 0, default_missing_value = "ja", action = clap::ArgAction::Append)]
    pub rejected: Vec<String>,
}
