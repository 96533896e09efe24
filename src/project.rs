//! Where things are: the project root, its folders and its settings.
//!
//! Settings are validated once, when the project is read: a time zone that does not exist, a
//! sender address lettre would not send to, or SMTP settings that cannot work are located
//! errors of `check` ([`SettingsError`] names the key), never a surprise of the first `run`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use std::time::Duration;

use chrono_tz::Tz;

use crate::calendar::ClosedDay;
use crate::load::raw::{RawMail, RawSecurity, RawSettings, RawSmtp};
use crate::model::dates::TimeOfDay;

/// The name of the settings file at the project root.
pub const SETTINGS_FILE: &str = "ratsflow.yaml";
/// The directory file inside the workflows folder.
pub const DIRECTORY_FILE: &str = "directory.yaml";

/// The folders of a project, absolute.
#[derive(Clone, Debug)]
pub struct Folders {
    pub root: PathBuf,
    pub workflows: PathBuf,
    pub papers: PathBuf,
    pub templates: PathBuf,
    pub out: PathBuf,
    pub state: PathBuf,
}

impl Folders {
    /// The default layout below `root`, before settings are read.
    pub fn default_for(root: &Path) -> Self {
        Folders {
            root: root.to_path_buf(),
            workflows: root.join("workflows"),
            papers: root.join("papers"),
            templates: root.join("templates"),
            out: root.join("out"),
            state: root.join("state"),
        }
    }

    /// A path as it is shown to users: relative to the project root where possible.
    pub fn display<'a>(&self, path: &'a Path) -> &'a Path {
        path.strip_prefix(&self.root).unwrap_or(path)
    }

    /// The journal file of a paper.
    pub fn journal(&self, paper_id: &str) -> PathBuf {
        self.state.join(format!("{paper_id}.jsonl"))
    }
}

/// Validated settings.
#[derive(Clone, Debug)]
pub struct Settings {
    pub organisation: String,
    pub time_zone: Tz,
    pub closed_days: Vec<ClosedDay>,
    pub closed_dates: Vec<chrono::NaiveDate>,
    pub notify_at: TimeOfDay,
    pub folders: Folders,
    /// Sender and delivery; `None`: messages go as `.eml` files under `out/mail/`.
    pub mail: Option<MailSettings>,
    /// Kinds of paper: the built-in ones plus the project's own.
    pub kinds: crate::model::Kinds,
    /// The project's own paper fields, by name, with a description.
    pub fields: BTreeMap<String, String>,
    /// Ladungsfrist of the project's bodies (a body's own wins); `None`: no invitations.
    pub ladungsfrist: Option<crate::calendar::DeadlineRule>,
    /// Roles in a Beratungsfolge: the built-in ones plus the project's.
    pub roles: crate::model::Roles,
    /// `ratsflow serve`: listen address, public address, link key.
    pub serve: crate::serve::settings::ServeSettings,
    /// PDFs beside the documents (`pdf:`).
    pub pdf: crate::pdf::PdfSettings,
    /// OParl export: where the tree is published; `None`: `ratsflow oparl` refuses.
    pub oparl: Option<crate::oparl::OparlSettings>,
}

impl Settings {
    /// Builds settings from the raw file; `Err` lists every problem, each with its key.
    pub fn from_raw(root: &Path, raw: RawSettings) -> Result<Self, Vec<SettingsError>> {
        let mut errors = Vec::new();
        let time_zone = match raw.time_zone.as_deref() {
            None => chrono_tz::Europe::Berlin,
            Some(name) => name.parse::<Tz>().unwrap_or_else(|_| {
                errors.push(SettingsError::new(
                    &["time_zone"],
                    format!("unbekannte Zeitzone „{name}“, z. B. Europe/Berlin"),
                ));
                chrono_tz::Europe::Berlin
            }),
        };
        let folder =
            |value: &Option<String>, default: &str| root.join(value.as_deref().unwrap_or(default));
        let folders = Folders {
            root: root.to_path_buf(),
            workflows: folder(&raw.folders.workflows, "workflows"),
            papers: folder(&raw.folders.papers, "papers"),
            templates: folder(&raw.folders.templates, "templates"),
            out: folder(&raw.folders.out, "out"),
            state: folder(&raw.folders.state, "state"),
        };
        let eight = chrono::NaiveTime::from_hms_opt(8, 0, 0).unwrap_or(chrono::NaiveTime::MIN);
        let mail = match raw.mail.as_ref().map(|m| MailSettings::from_raw(m, root)) {
            None => None,
            Some(Ok(mail)) => Some(mail),
            Some(Err(more)) => {
                errors.extend(more);
                None
            }
        };
        let serve = crate::serve::settings::ServeSettings::from_raw(raw.serve.as_ref())
            .unwrap_or_else(|more| {
                errors.extend(more);
                crate::serve::settings::ServeSettings::default()
            });
        let pdf = crate::pdf::PdfSettings::from_raw(raw.pdf.as_ref(), root).unwrap_or_else(
            |(path, message)| {
                errors.push(SettingsError::new(path, message));
                crate::pdf::PdfSettings::absent(root)
            },
        );
        let oparl = match raw
            .oparl
            .as_ref()
            .map(crate::oparl::OparlSettings::from_raw)
        {
            None => None,
            Some(Ok(oparl)) => Some(oparl),
            Some(Err(message)) => {
                errors.push(SettingsError::new(&["oparl", "base_url"], message));
                None
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Settings {
            serve,
            organisation: raw.organisation,
            time_zone,
            closed_days: raw.closed_days,
            closed_dates: raw.closed_dates.into_iter().map(|d| d.0).collect(),
            notify_at: raw.notify_at.unwrap_or(TimeOfDay(eight)),
            folders,
            mail,
            kinds: kinds_from_raw(raw.kinds),
            fields: raw.fields,
            ladungsfrist: raw
                .ladungsfrist
                .as_ref()
                .map(crate::load::raw::RawBodyDeadline::before_meeting),
            roles: crate::model::Roles::with(raw.roles),
            pdf,
            oparl,
        })
    }
}

/// The built-in kinds plus those declared under `kinds:`; a declared kind replaces a built-in
/// one of the same name. Its template defaults to the name in ASCII (`sitzungsvorlage.docx`).
fn kinds_from_raw(raw: BTreeMap<String, crate::load::raw::RawKind>) -> crate::model::Kinds {
    let mut kinds = crate::model::Kinds::builtin();
    for (name, kind) in raw {
        let name = name.trim().to_string();
        let template = kind
            .template
            .unwrap_or_else(|| format!("{}.docx", crate::output::ascii_name(&name.to_lowercase())));
        kinds.insert(crate::model::PaperKind {
            template,
            series: kind.series.unwrap_or_default(),
            gender: kind.article,
            relation: kind.relation.unwrap_or_default(),
            author: kind.author.unwrap_or_default(),
            numbering: kind.numbering,
            name,
        });
    }
    kinds
}

/// A problem of the settings file, with the key it is at (`["mail", "from", "email"]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingsError {
    pub path: Vec<&'static str>,
    /// German.
    pub message: String,
    pub hint: Option<String>,
}

impl SettingsError {
    fn new(path: &[&'static str], message: String) -> Self {
        SettingsError {
            path: path.to_vec(),
            message,
            hint: None,
        }
    }

    fn with_hint(mut self, hint: &str) -> Self {
        self.hint = Some(hint.to_owned());
        self
    }
}

/// Who sends and how: `mail:` in the settings, validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailSettings {
    /// Display name of the sender, one line.
    pub from_name: String,
    /// The sender's address, as lettre sends it.
    pub from: lettre::Address,
    pub smtp: Option<SmtpSettings>,
    /// What a notice carries of the paper's document.
    pub attach: Attach,
}

/// What a notice carries of the paper's document (`mail.attach`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Attach {
    /// The DOCX, as always.
    #[default]
    Docx,
    /// The PDF; the DOCX while the PDF is missing or older than it (PDFs off, converter failed).
    Pdf,
    /// Both: the DOCX, then its PDF when that is current.
    Both,
}

/// How the SMTP connection is secured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Security {
    /// STARTTLS, port 587 by default.
    Starttls,
    /// Implicit TLS, port 465 by default.
    Tls,
    /// No encryption, port 25 by default: only for a relay on this machine.
    Plain,
}

/// An SMTP server, validated. Credentials are named, never stored: they are read from the
/// environment when the transport is opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// Names of the environment variables with user name and password.
    pub login: Option<(String, String)>,
    /// PEM file of the council's own CA, absolute (relative names are the project's).
    pub ca_file: Option<PathBuf>,
    pub timeout: Duration,
}

/// Seconds to wait for the SMTP server when the settings name no `timeout_seconds`.
pub const DEFAULT_SMTP_TIMEOUT_SECONDS: u64 = 30;

impl MailSettings {
    /// Validates `mail:` with the sender's own rules ([`crate::mail::message`]).
    pub fn from_raw(raw: &RawMail, root: &Path) -> Result<Self, Vec<SettingsError>> {
        use crate::mail::message::{header_text_problem, parse_address};
        let mut errors = Vec::new();
        if let Some(problem) = header_text_problem(&raw.from.name) {
            errors.push(SettingsError::new(
                &["mail", "from", "name"],
                format!("der Absendername {problem}"),
            ));
        }
        let from = parse_address(&raw.from.email).map_err(|_| {
            SettingsError::new(
                &["mail", "from", "email"],
                format!(
                    "„{}“ ist keine E-Mail-Adresse, an die sich senden lässt",
                    raw.from.email
                ),
            )
            .with_hint(
                "genau eine Adresse wie vorname.name@kreis.example, ohne Namen, Komma und spitze Klammern",
            )
        });
        let smtp = raw
            .smtp
            .as_ref()
            .map(|smtp| SmtpSettings::from_raw(smtp, root));
        let smtp = match smtp {
            None => None,
            Some(Ok(smtp)) => Some(smtp),
            Some(Err(more)) => {
                errors.extend(more);
                None
            }
        };
        match from {
            Ok(from) if errors.is_empty() => Ok(MailSettings {
                from_name: raw.from.name.trim().to_owned(),
                from,
                smtp,
                attach: raw.attach.unwrap_or_default(),
            }),
            Ok(_) => Err(errors),
            Err(error) => {
                errors.insert(0, error);
                Err(errors)
            }
        }
    }
}

impl SmtpSettings {
    /// Validates `mail.smtp`; `root` makes a relative `ca_file` the project's.
    pub fn from_raw(raw: &RawSmtp, root: &Path) -> Result<Self, Vec<SettingsError>> {
        let mut errors = Vec::new();
        let host = raw.host.trim().to_owned();
        if host.is_empty() {
            errors.push(SettingsError::new(
                &["mail", "smtp", "host"],
                "mail.smtp.host ist leer: bitte den Namen des Mailservers angeben.".into(),
            ));
        }
        let security = match raw.security {
            RawSecurity::Starttls => Security::Starttls,
            RawSecurity::Tls => Security::Tls,
            RawSecurity::Plain => Security::Plain,
        };
        let port = raw.port.unwrap_or(match security {
            Security::Starttls => 587,
            Security::Tls => 465,
            Security::Plain => 25,
        });
        let login = match (&raw.user_env, &raw.password_env) {
            (None, None) => None,
            (Some(user), Some(password)) => {
                Some((user.trim().to_owned(), password.trim().to_owned()))
            }
            _ => {
                errors.push(SettingsError::new(
                    &["mail", "smtp"],
                    "mail.smtp: user_env und password_env müssen zusammen angegeben werden \
                     (die Namen der Umgebungsvariablen mit Benutzername und Passwort)."
                        .into(),
                ));
                None
            }
        };
        if security == Security::Plain && login.is_some() && !is_local_host(&host) {
            errors.push(SettingsError::new(
                &["mail", "smtp", "security"],
                format!(
                    "mail.smtp: Anmeldedaten dürfen nicht unverschlüsselt an {host} gehen. \
                     Für einen entfernten Server „security: starttls“ oder „security: tls“ \
                     angeben; „plain“ mit Anmeldung ist nur für localhost erlaubt."
                ),
            ));
        }
        let seconds = raw.timeout_seconds.unwrap_or(DEFAULT_SMTP_TIMEOUT_SECONDS);
        if seconds == 0 {
            errors.push(SettingsError::new(
                &["mail", "smtp", "timeout_seconds"],
                "mail.smtp.timeout_seconds muss größer als 0 sein.".into(),
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(SmtpSettings {
            host,
            port,
            security,
            login,
            ca_file: raw.ca_file.as_deref().map(|ca| root.join(ca)),
            timeout: Duration::from_secs(seconds),
        })
    }
}

/// `localhost` or a loopback address: the only hosts plain SMTP may log in to.
pub fn is_local_host(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}
