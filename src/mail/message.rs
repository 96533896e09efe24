//! Builds the MIME message of one notice from plain parts.
//!
//! Notices go to people whose names contain umlauts and commas („Müller, Hans“), carry German
//! subjects and a DOCX attachment. Getting that right is lettre's job, as long as it is fed
//! correctly: mailboxes are made from a name and an address kept apart (never by parsing
//! `"Müller, Hans <…>"`), subjects and names are handed over as text so lettre encodes them
//! (RFC 2047), and attachment file names are plain ASCII so every mail client shows them alike.
//! The `Message-ID` is fixed by the caller (derived from the notice key), so a notice sent twice
//! is recognisable as the same message by receivers and tests.

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
    /// Goes into the `Date` header with its offset (e.g. `+0200`).
    pub date: DateTime<FixedOffset>,
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
        .subject(mail.subject.as_str());
    for to in &mail.to {
        builder = builder.to(mailbox(to, "Empfänger")?);
    }

    let text = SinglePart::plain(mail.text.clone());
    let built = match &mail.attachment {
        None => builder.singlepart(text),
        Some(attachment) => {
            let content_type = ContentType::parse(&attachment.content_type).map_err(|_| {
                MessageError::new(format!(
                    "Der Anhang „{}“ hat einen ungültigen Inhaltstyp „{}“.",
                    attachment.file_name, attachment.content_type
                ))
            })?;
            // Always base64: binary files must never be touched by line-ending conversion.
            let body =
                Body::new_with_encoding(attachment.bytes.clone(), ContentTransferEncoding::Base64)
                    .unwrap_or_else(Body::new);
            let file = lettre::message::Attachment::new(ascii_file_name(&attachment.file_name))
                .body(body, content_type);
            builder.multipart(MultiPart::mixed().singlepart(text).singlepart(file))
        }
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
    Ok(message)
}

/// A mailbox from a name and an address; `role` says in German whose address it is.
fn mailbox(address: &Address, role: &str) -> Result<Mailbox, MessageError> {
    let email = address.email.trim();
    let parsed: lettre::Address = email.parse().map_err(|_| {
        let who = if address.name.trim().is_empty() {
            String::new()
        } else {
            format!(" von „{}“", address.name.trim())
        };
        MessageError::new(format!(
            "Die E-Mail-Adresse „{email}“{who} ({role}) ist ungültig."
        ))
    })?;
    let name = address.name.trim();
    let name = (!name.is_empty()).then(|| name.to_owned());
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
