//! `oparl:` in `ratsflow.yaml`: the address the OParl tree is published under. Every id of
//! the export is a URL below it, so it must be an absolute http(s) address without query or
//! fragment; it is checked when the settings are loaded, like every other setting.

use serde::Deserialize;

/// `oparl:` as written.
#[derive(Debug, Clone, Deserialize)]
pub struct RawOparl {
    /// Where `out/oparl/` is served, e.g. `https://ris.kreis-gross-gerau.de/oparl/`.
    pub base_url: String,
}

/// The validated OParl settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OparlSettings {
    /// Absolute, ending in `/`.
    pub base_url: String,
}

impl OparlSettings {
    /// Checks the base URL; `Err` is the German message for `oparl.base_url`.
    pub fn from_raw(raw: &RawOparl) -> Result<Self, String> {
        let url = raw.base_url.trim();
        let example = "z. B. https://ris.kreis-gross-gerau.de/oparl/";
        let Some(rest) = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
        else {
            return Err(format!(
                "„{url}“ ist keine Web-Adresse: sie muss mit https:// beginnen, {example}"
            ));
        };
        if url.contains(['?', '#']) || url.chars().any(char::is_whitespace) {
            return Err(format!(
                "„{url}“ darf weder Leerzeichen noch „?“ oder „#“ enthalten, {example}"
            ));
        }
        let host = rest.split('/').next().unwrap_or_default();
        if host.is_empty() {
            return Err(format!("in „{url}“ fehlt der Servername, {example}"));
        }
        let mut base_url = url.to_string();
        if !base_url.ends_with('/') {
            base_url.push('/');
        }
        Ok(OparlSettings { base_url })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(url: &str) -> Result<String, String> {
        OparlSettings::from_raw(&RawOparl {
            base_url: url.into(),
        })
        .map(|s| s.base_url)
    }

    #[test]
    fn base_url_is_absolute_and_ends_in_a_slash() {
        assert_eq!(
            check("https://ris.example/oparl").as_deref(),
            Ok("https://ris.example/oparl/")
        );
        assert_eq!(
            check("http://127.0.0.1:8080/").as_deref(),
            Ok("http://127.0.0.1:8080/")
        );
        assert_eq!(
            check("ris.example/oparl"),
            Err("„ris.example/oparl“ ist keine Web-Adresse: sie muss mit https:// beginnen, z. B. https://ris.kreis-gross-gerau.de/oparl/".into())
        );
        assert_eq!(
            check("https:///oparl"),
            Err("in „https:///oparl“ fehlt der Servername, z. B. https://ris.kreis-gross-gerau.de/oparl/".into())
        );
        assert_eq!(
            check("https://ris.example/oparl?x=1"),
            Err("„https://ris.example/oparl?x=1“ darf weder Leerzeichen noch „?“ oder „#“ enthalten, z. B. https://ris.kreis-gross-gerau.de/oparl/".into())
        );
    }
}
