//! Why a mail transport cannot be set up from the settings: a typed error, so that callers
//! decide the exit code by its kind and tests can tell the cases apart; its `Display` is the
//! German text a council user reads. No variant ever holds a credential.

use std::fmt;

/// A transport that cannot be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetupError {
    /// `mail.smtp` does not pass the checks loading applies (the German messages).
    Invalid(Vec<String>),
    /// The environment variable named by `mail.smtp.<key>` is not set or empty.
    MissingVariable { name: String, key: &'static str },
    /// The CA file cannot be read (`reason` is the German I/O reason).
    CaUnreadable { file: String, reason: String },
    /// The CA file holds no PEM certificate.
    CaWithoutCertificate { file: String },
    /// The TLS library refuses the parameters for `host`.
    Tls { host: String, reason: String },
}

impl fmt::Display for SetupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SetupError::Invalid(messages) => f.write_str(&messages.join(" ")),
            SetupError::MissingVariable { name, key } => write!(
                f,
                "Die Umgebungsvariable {name} (aus mail.smtp.{key}) ist nicht gesetzt oder leer."
            ),
            SetupError::CaUnreadable { file, reason } => write!(
                f,
                "Die CA-Datei {file} (mail.smtp.ca_file) kann nicht gelesen werden: {reason}"
            ),
            SetupError::CaWithoutCertificate { file } => write!(
                f,
                "Die CA-Datei {file} (mail.smtp.ca_file) enthält kein lesbares Zertifikat \
                 im PEM-Format (-----BEGIN CERTIFICATE-----)."
            ),
            SetupError::Tls { host, reason } => write!(
                f,
                "Die TLS-Einstellungen für {host} sind ungültig: {reason} (mail.smtp.ca_file prüfen)"
            ),
        }
    }
}

impl std::error::Error for SetupError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_setting() {
        let missing = SetupError::MissingVariable {
            name: "SMTP_PASSWORT".into(),
            key: "password_env",
        };
        assert_eq!(
            missing.to_string(),
            "Die Umgebungsvariable SMTP_PASSWORT (aus mail.smtp.password_env) ist nicht gesetzt oder leer."
        );
        let invalid = SetupError::Invalid(vec!["a.".into(), "b.".into()]);
        assert_eq!(invalid.to_string(), "a. b.");
    }
}
