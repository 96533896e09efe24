//! `serve:` in `ratsflow.yaml`: where the web service listens, the address people reach it at
//! (for the links in mails), and where the link key lives.
//!
//! The default is `127.0.0.1:8080`, reachable only from the machine itself: the service is
//! meant to sit behind the council's reverse proxy, which does TLS. Any other address must be
//! written out in the settings (or given with `--listen`); nothing ever defaults to a public
//! interface.

use std::net::SocketAddr;
use std::path::PathBuf;

use serde::Deserialize;

use crate::project::SettingsError;

/// The default address.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

/// `serve:` as written.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawServe {
    /// Address and port, e.g. `127.0.0.1:8080`.
    #[serde(default)]
    pub listen: Option<String>,
    /// The address the service is reached at from outside, e.g. `https://ratsflow.kreis.example`;
    /// without it mails carry no links.
    #[serde(default)]
    pub public_url: Option<String>,
    /// The link key; default under `$XDG_STATE_HOME/ratsflow/`. Never inside the project.
    #[serde(default)]
    pub key_file: Option<String>,
}

/// `serve:` validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServeSettings {
    pub listen: SocketAddr,
    /// Whether `listen` was written in the settings (a non-loopback address must be).
    pub listen_written: bool,
    /// Without a trailing slash.
    pub public_url: Option<String>,
    pub key_file: Option<PathBuf>,
}

impl Default for ServeSettings {
    fn default() -> Self {
        ServeSettings {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            listen_written: false,
            public_url: None,
            key_file: None,
        }
    }
}

impl ServeSettings {
    /// Validates `serve:`; every problem names its key.
    pub fn from_raw(raw: Option<&RawServe>) -> Result<Self, Vec<SettingsError>> {
        let Some(raw) = raw else {
            return Ok(Self::default());
        };
        let mut errors = Vec::new();
        let mut settings = Self::default();
        if let Some(listen) = raw.listen.as_deref().map(str::trim) {
            match parse_listen(listen) {
                Ok(addr) => {
                    settings.listen = addr;
                    settings.listen_written = true;
                }
                Err(message) => errors.push(error(&["serve", "listen"], message)),
            }
        }
        if let Some(url) = raw.public_url.as_deref().map(str::trim) {
            match check_public_url(url) {
                Ok(url) => settings.public_url = Some(url),
                Err(message) => errors.push(error(&["serve", "public_url"], message)),
            }
        }
        if let Some(file) = raw.key_file.as_deref().map(str::trim) {
            if file.is_empty() {
                errors.push(error(
                    &["serve", "key_file"],
                    "serve.key_file ist leer; ohne Angabe liegt der Schlüssel unter ~/.local/state/ratsflow/".to_string(),
                ));
            } else {
                settings.key_file = Some(PathBuf::from(file));
            }
        }
        if errors.is_empty() {
            Ok(settings)
        } else {
            Err(errors)
        }
    }
}

fn error(path: &[&'static str], message: String) -> SettingsError {
    SettingsError {
        path: path.to_vec(),
        message,
        hint: None,
    }
}

/// `127.0.0.1:8080`, `[::1]:8080`, `localhost:8080` (as 127.0.0.1).
pub fn parse_listen(text: &str) -> Result<SocketAddr, String> {
    let text = text.trim();
    if let Some(port) = text.strip_prefix("localhost:") {
        return port
            .parse::<u16>()
            .map(|port| SocketAddr::from(([127, 0, 0, 1], port)))
            .map_err(|_| {
                format!("„{text}“ ist keine gültige Adresse mit Port, z. B. {DEFAULT_LISTEN}")
            });
    }
    text.parse::<SocketAddr>()
        .map_err(|_| format!("„{text}“ ist keine gültige Adresse mit Port, z. B. {DEFAULT_LISTEN}"))
}

/// An `http://` or `https://` address without query or fragment; returned without a trailing
/// slash.
fn check_public_url(url: &str) -> Result<String, String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    let Some(rest) = rest else {
        return Err(format!(
            "„{url}“ ist keine Web-Adresse; sie beginnt mit https:// (z. B. https://ratsflow.kreis.example)"
        ));
    };
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty()
        || url.contains(['?', '#', ' ', '"', '<', '>', '\\'])
        || url.chars().any(char::is_control)
    {
        return Err(format!(
            "„{url}“ ist keine gültige Web-Adresse (z. B. https://ratsflow.kreis.example)"
        ));
    }
    Ok(url.trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_loopback() {
        let settings = ServeSettings::from_raw(None).unwrap_or_default();
        assert!(settings.listen.ip().is_loopback());
        assert!(!settings.listen_written);
    }

    #[test]
    fn errors_name_their_key() {
        let raw = RawServe {
            listen: Some("überall".into()),
            public_url: Some("ratsflow.example".into()),
            key_file: None,
        };
        let Err(errors) = ServeSettings::from_raw(Some(&raw)) else {
            panic!("accepted");
        };
        assert_eq!(errors[0].path, ["serve", "listen"]);
        assert_eq!(
            errors[0].message,
            "„überall“ ist keine gültige Adresse mit Port, z. B. 127.0.0.1:8080"
        );
        assert_eq!(errors[1].path, ["serve", "public_url"]);
    }

    #[test]
    fn public_url_loses_its_trailing_slash() {
        let raw = RawServe {
            public_url: Some("https://rats.example/flow/".into()),
            ..RawServe::default()
        };
        let settings = ServeSettings::from_raw(Some(&raw)).unwrap_or_default();
        assert_eq!(
            settings.public_url.as_deref(),
            Some("https://rats.example/flow")
        );
    }
}
