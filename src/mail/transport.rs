//! Where notices go: `.eml` files by default, an SMTP server when one is configured.
//!
//! A fresh project has no mail server, and ratsflow must still work there: the default
//! [`FileTransport`] writes one `.eml` file per message under `out/mail/`, named after the
//! `Message-ID`, so sending a notice again replaces its file instead of adding a duplicate.
//! With `mail.smtp` in the settings, [`SmtpTransport`] delivers through lettre with STARTTLS,
//! implicit TLS or (only to a relay on this machine) plain SMTP. Credentials come from the
//! environment variables the settings *name*; they are never read from YAML, never logged, and
//! scrubbed from every error text. Errors are sorted into [`SendError::Temporary`] (retry later:
//! 4xx replies, refused connections, time-outs, TLS trouble) and [`SendError::Permanent`]
//! (5xx replies, rejected addresses, a message that cannot be built), which is what the outbox
//! needs to decide between backing off and reporting.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use sha2::{Digest, Sha256};

use crate::load::raw::RawSmtp;
use crate::mail::message::{self, OutgoingMail};
use crate::mail::scrub::{clean_reply, secret_forms};
pub use crate::mail::setup_error::SetupError;
use crate::project::{MailSettings, Security, SmtpSettings};

/// Seconds to wait for the SMTP server when the settings name no `timeout_seconds`.
pub const DEFAULT_TIMEOUT_SECONDS: u64 = crate::project::DEFAULT_SMTP_TIMEOUT_SECONDS;

/// Why a message was not delivered. The text is German and contains no credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// Worth trying again later: 4xx replies, refused connections, time-outs, TLS trouble,
    /// a full disk.
    Temporary(String),
    /// Trying again will not help: 5xx replies, rejected addresses, a broken message.
    Permanent(String),
}

impl SendError {
    /// Whether a later attempt may succeed.
    pub fn is_temporary(&self) -> bool {
        matches!(self, SendError::Temporary(_))
    }

    /// The German explanation.
    pub fn message(&self) -> &str {
        match self {
            SendError::Temporary(text) | SendError::Permanent(text) => text,
        }
    }
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for SendError {}

/// Something that delivers messages.
pub trait Transport: Send + Sync {
    /// Delivers one message; the same `Message-ID` may be sent again after a crash.
    fn send(&self, mail: &OutgoingMail) -> Result<(), SendError>;
    /// Delivers one message and calls `commit` at the point from which on the message will be
    /// delivered even if this process dies: for SMTP just before the final "." of DATA (once
    /// written, the kernel hands it to the server), for files after the rename. The outbox
    /// records "sent" there, so a crash can neither lose the notice nor send it twice, but for
    /// the few microseconds between two adjacent writes.
    fn send_committing(
        &self,
        mail: &OutgoingMail,
        commit: &mut dyn FnMut(),
    ) -> Result<(), SendError> {
        let result = self.send(mail);
        if result.is_ok() {
            commit();
        }
        result
    }
    /// Where messages go, in German, for summaries and logs; never contains credentials.
    fn describe(&self) -> String;
}

/// The transport the settings ask for: SMTP when `mail.smtp` is set, otherwise `.eml` files
/// under `out_dir/mail`. `env` looks up environment variables (injected for tests).
pub fn from_settings(
    mail: Option<&MailSettings>,
    out_dir: &Path,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Box<dyn Transport>, SetupError> {
    match mail.and_then(|mail| mail.smtp.as_ref()) {
        None => Ok(Box::new(FileTransport::new(out_dir.join("mail")))),
        Some(smtp) => Ok(Box::new(SmtpTransport::new(smtp, env)?)),
    }
}

/// Writes every message as `<Message-ID>.eml` into one folder, atomically.
#[derive(Debug, Clone)]
pub struct FileTransport {
    dir: PathBuf,
}

impl FileTransport {
    /// Messages go to `dir`, which is created on the first message.
    pub fn new(dir: PathBuf) -> Self {
        FileTransport { dir }
    }

    /// The folder the messages go to.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file a message with this `Message-ID` (without brackets) is written to.
    pub fn path_for(&self, message_id: &str) -> PathBuf {
        self.dir.join(eml_file_name(message_id))
    }
}

impl Transport for FileTransport {
    fn send(&self, mail: &OutgoingMail) -> Result<(), SendError> {
        let built = message::build(mail).map_err(|err| SendError::Permanent(err.to_string()))?;
        let path = self.path_for(&mail.message_id);
        crate::output::write_file(&path, &built.formatted(), crate::atomic::Durability::Synced)
            .map_err(|err| {
                SendError::Temporary(format!(
                    "Die Nachricht „{}“ konnte nicht nach {} geschrieben werden: {}",
                    mail.subject,
                    path.display(),
                    io_text(&err)
                ))
            })
    }

    fn describe(&self) -> String {
        format!("als .eml-Dateien nach {}", self.dir.display())
    }
}

/// `<id>.eml` with only `[A-Za-z0-9._@-]`; when anything had to be replaced (or the id is very
/// long), a short hash of the original id keeps different ids apart.
fn eml_file_name(message_id: &str) -> String {
    let id = message_id.trim();
    let mut name: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '@' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if name.starts_with('.') {
        name.replace_range(0..1, "_");
    }
    if name != id || name.is_empty() || name.len() > 120 {
        let digest = Sha256::digest(id.as_bytes());
        let hash: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
        name.truncate(100);
        if !name.is_empty() {
            name.push('-');
        }
        name.push_str(&hash);
    }
    name.push_str(".eml");
    name
}

/// Delivers through an SMTP server with lettre, one connection per message.
pub struct SmtpTransport {
    host: String,
    port: u16,
    tls: Tls,
    credentials: Option<Credentials>,
    /// `host:port`, for error texts.
    target: String,
    description: String,
    timeout: Duration,
    /// User name and password, scrubbed from every text that leaves this type.
    secrets: Vec<String>,
}

impl fmt::Debug for SmtpTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpTransport")
            .field("description", &self.description)
            .finish_non_exhaustive()
    }
}

impl SmtpTransport {
    /// Builds the transport from raw `mail.smtp` (validated first, as loading does; a relative
    /// `ca_file` is taken as given). Errors are German.
    pub fn from_settings(
        smtp: &RawSmtp,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, SetupError> {
        let settings = SmtpSettings::from_raw(smtp, Path::new("")).map_err(|errors| {
            SetupError::Invalid(errors.into_iter().map(|e| e.message).collect())
        })?;
        Self::new(&settings, env)
    }

    /// Builds the transport from validated settings. User name and password are read with
    /// `env` from the variables the settings name; `ca_file` (PEM) is added to the trusted
    /// roots. Errors are German.
    pub fn new(
        smtp: &SmtpSettings,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, SetupError> {
        let host = smtp.host.as_str();
        let port = smtp.port;
        let security_name = match smtp.security {
            Security::Starttls => "STARTTLS",
            Security::Tls => "TLS",
            Security::Plain => "unverschlüsselt",
        };
        let target = format!("{host}:{port}");
        let credentials = credentials(smtp, env)?;
        let timeout = smtp.timeout;
        let ca_file = smtp.ca_file.as_ref().map(|p| p.display().to_string());
        let tls = match smtp.security {
            Security::Plain => Tls::None,
            Security::Starttls => Tls::Required(tls_parameters(host, ca_file.as_deref())?),
            Security::Tls => Tls::Wrapper(tls_parameters(host, ca_file.as_deref())?),
        };
        let mut secrets = Vec::new();
        let login = if credentials.is_some() {
            ", mit Anmeldung"
        } else {
            ""
        };
        let credentials = credentials.map(|(user, password)| {
            secrets = secret_forms(&user, &password);
            Credentials::new(user, password)
        });
        let ca = if smtp.ca_file.is_some() {
            ", eigene CA"
        } else {
            ""
        };
        Ok(SmtpTransport {
            host: host.to_string(),
            port,
            tls,
            credentials,
            description: format!("per SMTP über {target} ({security_name}{login}{ca})"),
            target,
            timeout,
            secrets,
        })
    }

    /// Replaces every credential in `text` by `***`: as typed, and as the base64 forms AUTH
    /// PLAIN and LOGIN send, which some servers echo in their refusal. Any other long
    /// base64-like word is cut as well (a server may echo a payload in its own encoding); what
    /// stays is the reply code and the server's words.
    fn scrub(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for secret in &self.secrets {
            if !secret.is_empty() {
                text = text.replace(secret.as_str(), "***");
            }
        }
        clean_reply(&text)
    }

    /// Sorts a lettre error into temporary and permanent, in German.
    fn classify(&self, err: &lettre::transport::smtp::Error) -> SendError {
        let target = &self.target;
        let detail = self.scrub(&source_text(err));
        let code = err.status().map(|code| code.to_string());
        if err.is_permanent() {
            SendError::Permanent(format!(
                "Der Mailserver {target} hat dauerhaft abgelehnt ({}): {detail}",
                code.unwrap_or_else(|| "5xx".into())
            ))
        } else if err.is_transient() {
            SendError::Temporary(format!(
                "Der Mailserver {target} hat vorübergehend abgelehnt ({}): {detail}",
                code.unwrap_or_else(|| "4xx".into())
            ))
        } else if err.is_timeout() {
            SendError::Temporary(format!(
                "Der Mailserver {target} hat nicht innerhalb von {} s geantwortet.",
                self.timeout.as_secs()
            ))
        } else if err.is_tls() {
            SendError::Temporary(format!(
                "Die TLS-Verbindung zu {target} ist gescheitert: {detail} \
                 (Zertifikat und mail.smtp.ca_file prüfen)"
            ))
        } else if err.is_client() {
            SendError::Permanent(format!(
                "Mit dem Mailserver {target} ist kein Versand möglich: {detail}"
            ))
        } else if let Some(io_err) =
            io_source(err).filter(|io_err| io_err.kind() == io::ErrorKind::InvalidData)
        {
            // rustls reports handshake failures (unknown CA, wrong host name) as invalid data.
            SendError::Temporary(format!(
                "Die TLS-Verbindung zu {target} ist gescheitert: {} \
                 (Zertifikat und mail.smtp.ca_file prüfen)",
                self.scrub(&io_err.to_string())
            ))
        } else if let Some(io_err) = io_source(err) {
            SendError::Temporary(format!(
                "Keine Verbindung zum Mailserver {target}: {}",
                self.scrub(&io_text(io_err))
            ))
        } else {
            SendError::Temporary(format!(
                "Die Verbindung zum Mailserver {target} ist gescheitert: {detail}"
            ))
        }
    }
}

impl SmtpTransport {
    /// One SMTP transaction on a fresh connection: EHLO, STARTTLS or TLS, AUTH, MAIL, RCPT,
    /// DATA; `commit` runs after the message body is written and before the final ".".
    fn transfer(
        &self,
        built: &lettre::Message,
        commit: &mut dyn FnMut(),
    ) -> Result<(), lettre::transport::smtp::Error> {
        use lettre::transport::smtp::client::SmtpConnection;
        use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
        use lettre::transport::smtp::extension::ClientId;
        let hello = ClientId::default();
        let wrapper = match &self.tls {
            Tls::Wrapper(parameters) => Some(parameters),
            _ => None,
        };
        let mut connection = SmtpConnection::connect(
            (self.host.as_str(), self.port),
            Some(self.timeout),
            &hello,
            wrapper,
            None,
        )?;
        if let Tls::Required(parameters) = &self.tls {
            connection.starttls(parameters, &hello)?;
        }
        if let Some(credentials) = &self.credentials {
            connection.auth(&[Mechanism::Plain, Mechanism::Login], credentials)?;
        }
        let envelope = built.envelope();
        connection.command(Mail::new(envelope.from().cloned(), vec![]))?;
        for to in envelope.to() {
            connection.command(Rcpt::new(to.clone(), vec![]))?;
        }
        connection.command(Data)?;
        let body = built.formatted();
        let mut parts = CommitAfter {
            body: Some(body.as_slice()),
            commit,
        };
        let result = connection.message_iter(std::iter::from_fn(|| parts.next()));
        let _ = connection.quit();
        result.map(|_| ())
    }
}

/// Yields the message body once; the next call (lettre is about to write the terminating
/// ".") runs the commit.
struct CommitAfter<'a, 'c> {
    body: Option<&'a [u8]>,
    commit: &'c mut dyn FnMut(),
}

impl<'a> CommitAfter<'a, '_> {
    fn next(&mut self) -> Option<&'a [u8]> {
        match self.body.take() {
            Some(body) => Some(body),
            None => {
                (self.commit)();
                None
            }
        }
    }
}

impl Transport for SmtpTransport {
    fn send(&self, mail: &OutgoingMail) -> Result<(), SendError> {
        self.send_committing(mail, &mut || {})
    }

    fn send_committing(
        &self,
        mail: &OutgoingMail,
        commit: &mut dyn FnMut(),
    ) -> Result<(), SendError> {
        let built = message::build(mail).map_err(|err| SendError::Permanent(err.to_string()))?;
        self.transfer(&built, commit)
            .map_err(|err| self.classify(&err))
    }

    fn describe(&self) -> String {
        self.description.clone()
    }
}

/// User name and password from the variables the settings name, or `None` without them.
fn credentials(
    smtp: &SmtpSettings,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<(String, String)>, SetupError> {
    let read = |key: &'static str, name: &str| {
        env(name)
            .filter(|value| !value.is_empty())
            .ok_or_else(|| SetupError::MissingVariable {
                name: name.to_string(),
                key,
            })
    };
    match &smtp.login {
        None => Ok(None),
        Some((user_env, password_env)) => Ok(Some((
            read("user_env", user_env)?,
            read("password_env", password_env)?,
        ))),
    }
}

/// TLS settings for `host`, trusting the usual public roots plus the PEM in `ca_file`.
fn tls_parameters(host: &str, ca_file: Option<&str>) -> Result<TlsParameters, SetupError> {
    let mut builder = TlsParameters::builder(host.to_owned());
    if let Some(ca_file) = ca_file {
        let pem = std::fs::read(ca_file).map_err(|err| SetupError::CaUnreadable {
            file: ca_file.to_string(),
            reason: io_text(&err),
        })?;
        let has_certificate = pem
            .windows(b"-----BEGIN CERTIFICATE-----".len())
            .any(|window| window == b"-----BEGIN CERTIFICATE-----");
        let certificate = Certificate::from_pem(&pem).ok().filter(|_| has_certificate);
        let Some(certificate) = certificate else {
            return Err(SetupError::CaWithoutCertificate {
                file: ca_file.to_string(),
            });
        };
        builder = builder.add_root_certificate(certificate);
    }
    builder.build().map_err(|err| SetupError::Tls {
        host: host.to_string(),
        reason: err.to_string(),
    })
}

/// The innermost explanation lettre has, without its English prefix.
fn source_text(err: &lettre::transport::smtp::Error) -> String {
    use std::error::Error as _;
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(inner) = source {
        text = inner.to_string();
        source = inner.source();
    }
    text
}

/// The I/O error below a lettre error, if any (refused connection, reset, …).
fn io_source(err: &lettre::transport::smtp::Error) -> Option<&io::Error> {
    use std::error::Error as _;
    let mut source = err.source();
    while let Some(inner) = source {
        if let Some(io_err) = inner.downcast_ref::<io::Error>() {
            return Some(io_err);
        }
        source = inner.source();
    }
    None
}

/// A German text for the common I/O errors.
fn io_text(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::NotFound => "nicht gefunden".into(),
        io::ErrorKind::PermissionDenied => "keine Berechtigung".into(),
        io::ErrorKind::ConnectionRefused => {
            "Verbindung abgelehnt (läuft der Mailserver, stimmt der Port?)".into()
        }
        io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionAborted => {
            "Verbindung vom Server getrennt".into()
        }
        io::ErrorKind::TimedOut => "Zeitüberschreitung".into(),
        io::ErrorKind::StorageFull => "kein Platz mehr auf dem Datenträger".into(),
        _ => format!("{err}"),
    }
}
