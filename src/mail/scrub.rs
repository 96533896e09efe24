//! Keeps secrets out of what a mail server says back.
//!
//! A refused login is reported with the server's reply, and some servers echo what they were
//! sent: the AUTH PLAIN payload or the LOGIN steps, base64 of user name and password. Such a
//! reply must never reach stderr, `status`, `outbox` or the journal. The transport replaces the
//! credentials in every form they travel in ([`secret_forms`]) and then cuts any other word that
//! looks encoded ([`clean_reply`]); what stays is the reply code and the server's words.

/// The forms in which user name and password can travel in an SMTP session: as typed, and
/// base64-encoded as AUTH LOGIN sends each of them and AUTH PLAIN sends both together.
/// Longest first, so that a payload is replaced whole before its parts.
pub(crate) fn secret_forms(user: &str, password: &str) -> Vec<String> {
    let mut forms = vec![
        base64(format!("\0{user}\0{password}").as_bytes()),
        base64(format!("{user}\0{user}\0{password}").as_bytes()),
        base64(user.as_bytes()),
        base64(password.as_bytes()),
        password.to_owned(),
        user.to_owned(),
    ];
    forms.retain(|form| !form.is_empty());
    forms.sort_by_key(|form| std::cmp::Reverse(form.len()));
    forms
}

/// A server's reply text with every word removed that may carry an encoded secret: a word of
/// 12 or more characters made only of base64 characters, with a digit, `+`, `/` or `=` in it
/// (German and English words of a reply have none), becomes `***`; control characters become
/// spaces so that a reply never writes more than one line.
pub fn clean_reply(text: &str) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let words: Vec<String> = flat
        .split(' ')
        .map(|word| {
            let core = word.trim_matches(|c: char| matches!(c, '(' | ')' | '"' | '\'' | ',' | ';'));
            let encoded = core.len() >= 12
                && core
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='))
                && core
                    .chars()
                    .any(|c| c.is_ascii_digit() || matches!(c, '+' | '/' | '='));
            if encoded {
                word.replace(core, "***")
            } else {
                word.to_owned()
            }
        })
        .collect();
    words.join(" ")
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard_alphabet_and_padding() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"\0user\0pass"), "AHVzZXIAcGFzcw==");
    }

    #[test]
    fn replies_lose_encoded_words_and_line_breaks_but_keep_their_words() {
        assert_eq!(
            clean_reply("5.7.8 Authentication failed (AHVzZXIAcGFzcw==)\r\nbye"),
            "5.7.8 Authentication failed (***)  bye"
        );
        assert_eq!(
            clean_reply("5.1.1 Empfängeradresse unbekannt"),
            "5.1.1 Empfängeradresse unbekannt"
        );
    }
}
