//! The secret behind the calendar tokens: derived from the project's one key file, the one
//! that signs the web service's links ([`crate::serve::key`]: outside the project tree, mode
//! 0600, never printed). Derived, not the same: a calendar token can never be mistaken for a
//! link signature. [`Key`] shows no bytes.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Octets of HMAC output kept in a token (≥ 128 bits), 22 characters of URL-safe base64.
const TOKEN_OCTETS: usize = 16;

/// Characters of a token: its 16 octets as URL-safe base64 without padding (22).
pub const TOKEN_CHARS: usize = (TOKEN_OCTETS * 8).div_ceil(6);

/// Why the key cannot be used (German, names the file, never its content).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyError(pub String);

impl std::fmt::Display for KeyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for KeyError {}

/// The key material. Its `Debug` output shows no byte of it.
#[derive(Clone)]
pub struct Key(Vec<u8>);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(verborgen)")
    }
}

impl Key {
    /// A key from given bytes (tests, and the web service once it shares this key).
    pub fn from_bytes(bytes: &[u8]) -> Self {
        Key(bytes.to_vec())
    }

    /// The calendar key derived from the project's key file: HMAC-SHA256 of a fixed label.
    pub fn derived_from(file_key: &[u8]) -> Self {
        Key(Key(file_key.to_vec()).mac(b"ratsflow calendar tokens"))
    }

    fn mac(&self, message: &[u8]) -> Vec<u8> {
        // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
        match Hmac::<Sha256>::new_from_slice(&self.0) {
            Ok(mut mac) => {
                mac.update(message);
                mac.finalize().into_bytes().to_vec()
            }
            Err(_) => Vec::new(),
        }
    }

    /// The token of a subject (`person:ID`, `body:ID`): HMAC-SHA256 under the key, the first
    /// 128 bits as URL-safe base64 without padding. Stable for the same key and subject.
    pub fn token(&self, subject: &str) -> String {
        let digest = self.mac(subject.as_bytes());
        let kept = digest.get(..TOKEN_OCTETS).unwrap_or_default();
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(kept)
    }
}

/// Whether `text` is spelled exactly as [`Key::token`] spells a token: [`TOKEN_CHARS`]
/// characters of URL-safe base64 (`A–Z`, `a–z`, `0–9`, `-`, `_`) without padding, decoding to
/// 16 octets, in the one canonical spelling (unused low bits of the last character zero). Such
/// a text holds no `/`, `.` or `%`, so it is safe in a file name.
pub fn is_token(text: &str) -> bool {
    let engine = &base64::engine::general_purpose::URL_SAFE_NO_PAD;
    text.len() == TOKEN_CHARS
        && engine
            .decode(text)
            .is_ok_and(|octets| octets.len() == TOKEN_OCTETS && engine.encode(&octets) == text)
}

/// The calendar key of the project at `root`, derived from its key file (`serve.key_file`,
/// `RATSFLOW_KEY_FILE` or the default place; created on first use), and where that file lies.
pub fn load_or_create(root: &Path, key_file: Option<&Path>) -> Result<(Key, PathBuf), KeyError> {
    let path = crate::serve::key::path_for(root, key_file).map_err(KeyError)?;
    let file = crate::serve::key::load_or_create(root, &path).map_err(KeyError)?;
    Ok((Key::derived_from(file.bytes()), path))
}
