//! Builds the MIME message of one notice from plain parts.
//!
//! Notices go to people whose names contain umlauts and commas („Müller, Hans“), carry German
//! subjects and a DOCX attachment. Getting that right is lettre's job, as long as it is fed
//! correctly: mailboxes are made from a name and an address kept apart (never by parsing
//! `"Müller, Hans <…>"`), subjects and names are handed over as text so lettre encodes them
//! (RFC 2047), and attachment file names are plain ASCII so every mail client shows them alike.
//! The `Message-ID` is fixed by the caller (derived from the notice key), so a notice sent twice
//! is recognisable as the same message by receivers and tests.
//!
//! Header text comes from the directory and the papers, which users edit. The rules of what may
//! stand in a header live here ([`header_text_problem`], [`parse_address`]) and are used twice:
//! by `ratsflow check`, which reports a name with a line break at its place in the file, and by
//! [`build`], which never trusts its input and flattens such text ([`header_text`]) instead of
//! failing or panicking. Every message says it was sent automatically (`Auto-Submitted`), so
//! out-of-office replies do not answer it, and may name where replies go (`Reply-To`).

use std::fmt;
use std::time::SystemTime;

use chrono::{DateTime, FixedOffset};
use lettre::Message;
use lettre::message::header::{ContentTransferEncoding, ContentType, HeaderName, HeaderValue};
use lettre::message::{Body, Mailbox, MultiPart, SinglePart};

/// A person's name and email address, kept apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    /// Display name, any text (umlauts and commas are fine); may be empty.
    pub name: String,
    /// The address itself, e.g. `hans.mueller@kreis-beispiel.de`.
    pub email: String,
}

impl Address {
    /// An address from a name and an email address.
    pub fn new(name: impl Into<String>, email: impl Into<String>) -> Self {
        Address {
            name: name.into(),
            email: email.into(),
        }
    }
}

/// A file attached to a notice, usually the current DOCX of a paper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// ASCII file name, e.g. `Vorlage_042-21.docx`; anything else is passed through
    /// [`ascii_file_name`] when the message is built.
    pub file_name: String,
    /// MIME type, e.g. [`DOCX_CONTENT_TYPE`].
    pub content_type: String,
    /// The file's bytes, attached unchanged.
    pub bytes: Vec<u8>,
}

/// The MIME type of a Word document.
pub const DOCX_CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// One message as the notice layer describes it, before MIME encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    /// Without angle brackets, e.g. `a1b2c3…@ratsflow`; derived by the caller from the notice key.
    pub message_id: String,
    pub from: Address,
    pub to: Vec<Address>,
    /// German subject; umlauts are encoded by lettre.
    pub subject: String,
    /// German plain-text body.
    pub text: String,
    pub attachment: Option<Attachment>,
    /// The paper's Anlagen, after the document.
    pub anlagen: Vec<Attachment>,
    /// Goes into the `Date` header with its offset (e.g. `+0200`).
    pub date: DateTime<FixedOffset>,
    /// Where replies go (the paper's office); empty: to the sender.
    pub reply_to: Vec<Address>,
}

/// Why a message could not be built; the text is German and names the culprit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageError {
    message: String,
}

impl MessageError {
    fn new(message: String) -> Self {
        MessageError { message }
    }

    /// The German explanation.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for MessageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for MessageError {}

/// Builds the lettre message: mailboxes from name and address, the given `Message-ID`, a `Date`
/// header from `mail.date`, a UTF-8 text part and the attachment under an ASCII file name.
pub fn build(mail: &OutgoingMail) -> Result<Message, MessageError> {
    let message_id = checked_message_id(&mail.message_id)?;
    let from = mailbox(&mail.from, "Absender")?;
    if mail.to.is_empty() {
        return Err(MessageError::new(format!(
            "Die Nachricht „{}“ hat keinen Empfänger.",
            mail.subject
        )));
    }

    let mut builder = Message::builder()
        .message_id(Some(format!("<{message_id}>")))
        .date(SystemTime::from(mail.date))
        .from(from)
        .subject(header_text(&mail.subject));
    for to in &mail.to {
        builder = builder.to(mailbox(to, "Empfänger")?);
    }
    for reply_to in &mail.reply_to {
        builder = builder.reply_to(mailbox(reply_to, "Antwortadresse")?);
    }

    let text = SinglePart::plain(mail.text.clone());
    let files: Vec<&Attachment> = mail.attachment.iter().chain(&mail.anlagen).collect();
    let built = if files.is_empty() {
        builder.singlepart(text)
    } else {
        let mut parts = MultiPart::mixed().singlepart(text);
        for attachment in files {
            parts = parts.singlepart(file_part(attachment)?);
        }
        builder.multipart(parts)
    };
    let mut message = built.map_err(|err| {
        MessageError::new(format!(
            "Die Nachricht „{}“ konnte nicht erstellt werden: {err}",
            mail.subject
        ))
    })?;
    // lettre writes dates in UTC; keep the local offset the caller gave, which is what German
    // recipients expect to see. The value is plain ASCII (RFC 5322 date-time).
    message.headers_mut().insert_raw(HeaderValue::new(
        HeaderName::new_from_ascii_str("Date"),
        mail.date.to_rfc2822(),
    ));
    // RFC 3834: a machine wrote this; vacation responders and ticket systems do not answer.
    message.headers_mut().insert_raw(HeaderValue::new(
        HeaderName::new_from_ascii_str("Auto-Submitted"),
        "auto-generated".to_owned(),
    ));
    Ok(message)
}

/// One attached file: base64 always (binary files must never be touched by line-ending
/// conversion), under an ASCII file name.
fn file_part(attachment: &Attachment) -> Result<SinglePart, MessageError> {
    let content_type = ContentType::parse(&attachment.content_type).map_err(|_| {
        MessageError::new(format!(
            "Der Anhang „{}“ hat einen ungültigen Inhaltstyp „{}“.",
            attachment.file_name, attachment.content_type
        ))
    })?;
    let body = Body::new_with_encoding(attachment.bytes.clone(), ContentTransferEncoding::Base64)
        .unwrap_or_else(Body::new);
    Ok(
        lettre::message::Attachment::new(ascii_file_name(&attachment.file_name))
            .body(body, content_type),
    )
}

/// Why `text` cannot stand in a mail header as it is (German, to follow „der Name …“), or
/// `None`. Line breaks would start a new header or end the header block; other control
/// characters (tabs, terminal escapes) have no place in a name or subject either.
pub fn header_text_problem(text: &str) -> Option<&'static str> {
    if text
        .chars()
        .any(|c| matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}'))
    {
        Some("enthält einen Zeilenumbruch")
    } else if text.chars().any(char::is_control) {
        Some("enthält ein Steuerzeichen (z. B. einen Tabulator)")
    } else {
        None
    }
}

/// `text` made fit for a header: every run of white space, line breaks and control characters
/// becomes one space, and the ends are trimmed.
pub fn header_text(text: &str) -> String {
    text.split(|c: char| {
        c.is_whitespace() || c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')
    })
    .filter(|word| !word.is_empty())
    .collect::<Vec<_>>()
    .join(" ")
}

/// Parses an e-mail address exactly as sending does: surrounding white space is ignored, the
/// rest must be one plain address (`name@domain`, no display name, no angle brackets).
pub fn parse_address(text: &str) -> Result<lettre::Address, lettre::address::AddressError> {
    text.trim().parse()
}

/// A mailbox from a name and an address; `role` says in German whose address it is.
fn mailbox(address: &Address, role: &str) -> Result<Mailbox, MessageError> {
    let email = address.email.trim();
    let parsed = parse_address(email).map_err(|_| {
        let who = if address.name.trim().is_empty() {
            String::new()
        } else {
            format!(" von „{}“", address.name.trim())
        };
        MessageError::new(format!(
            "Die E-Mail-Adresse „{email}“{who} ({role}) ist ungültig."
        ))
    })?;
    let name = header_text(&address.name);
    let name = (!name.is_empty()).then_some(name);
    Ok(Mailbox::new(name, parsed))
}

/// The message id without brackets, checked to be a single `left@right` token.
fn checked_message_id(id: &str) -> Result<&str, MessageError> {
    let id = id.trim();
    let valid = id.split_once('@').is_some_and(|(left, right)| {
        !left.is_empty()
            && !right.is_empty()
            && !right.contains('@')
            && id
                .chars()
                .all(|c| c.is_ascii_graphic() && !matches!(c, '<' | '>' | '"' | '\\' | '(' | ')'))
    });
    if valid {
        Ok(id)
    } else {
        Err(MessageError::new(format!(
            "Die Message-ID „{id}“ ist ungültig: erwartet wird „kennung@domain“ aus ASCII-Zeichen \
             ohne Leerzeichen und spitze Klammern."
        )))
    }
}

/// Turns any text into an ASCII file name: umlauts are transliterated (`ä` → `ae`, `ß` → `ss`),
/// slashes and dashes become `-`, white space becomes `_`, and only `[A-Za-z0-9._-]` is kept.
/// Runs of `_`, leading dots and separators at either end are dropped; an empty result becomes
/// `Anhang`.
pub fn ascii_file_name(text: &str) -> String {
    crate::output::ascii_name_or(text, "Anhang")
}
