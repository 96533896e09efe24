//! The mail layer against real receivers: `.eml` files parsed back with an independent MIME
//! parser, and SMTP delivery to an in-process server on 127.0.0.1 (STARTTLS and implicit TLS
//! with a throw-away CA, AUTH, 451/550 replies, an outage and a restart).

#[path = "support/smtp.rs"]
mod smtp;

use std::collections::HashMap;
use std::path::Path;

use chrono::{FixedOffset, TimeZone};
use mail_parser::{MessageParser, MimeHeaders};
use ratsflow::load::raw::{RawMail, RawMailbox, RawSecurity, RawSmtp};
use ratsflow::mail::message::{
    self, Address, Attachment, DOCX_CONTENT_TYPE, OutgoingMail, ascii_file_name,
};
use ratsflow::mail::transport::{self, FileTransport, SendError, SmtpTransport, Transport};
use ratsflow::project::MailSettings;
use smtp::{Options, Stage, TestSmtp};

const USER: &str = "sitzungsdienst";
const PASSWORD: &str = "Geheim!Passwort-4711";

/// Bytes standing in for a DOCX: every byte value, so any encoding slip shows.
fn attachment_bytes() -> Vec<u8> {
    let mut bytes = b"PK\x03\x04".to_vec();
    bytes.extend((0..=255u8).cycle().take(5000));
    bytes
}

fn notice(id: &str) -> OutgoingMail {
    let date = FixedOffset::east_opt(3600)
        .and_then(|offset| offset.with_ymd_and_hms(2026, 3, 2, 9, 30, 0).single())
        .expect("valid date");
    OutgoingMail {
        message_id: format!("{id}@ratsflow"),
        from: Address::new(
            "Kreisverwaltung Musterkreis – Sitzungsdienst",
            "sitzungsdienst@kreis-muster.de",
        ),
        to: vec![
            Address::new("Müller, Hans", "hans.mueller@kreis-muster.de"),
            Address::new("Jürgen Weiß", "j.weiss@kreis-muster.de"),
        ],
        subject: "Bitte unterzeichnen: Beschlussvorlage 042/21 „Radverkehrskonzept“ – Frist 16.03."
            .to_owned(),
        text: "Sehr geehrter Herr Müller,\n\nbitte prüfen und unterzeichnen Sie die Vorlage.\n\
               . Diese Zeile beginnt mit einem Punkt.\n.\nMit freundlichen Grüßen\n"
            .to_owned(),
        attachment: Some(Attachment {
            file_name: "Vorlage_042-21.docx".to_owned(),
            content_type: DOCX_CONTENT_TYPE.to_owned(),
            bytes: attachment_bytes(),
        }),
        anlagen: Vec::new(),
        date,
        reply_to: vec![Address::new(
            "Sitzungsdienst",
            "sitzungsdienst@kreis-muster.de",
        )],
    }
}

/// Parses a message and checks everything a recipient sees.
fn assert_parses_back(raw: &[u8], mail: &OutgoingMail) {
    let parsed = MessageParser::default().parse(raw).expect("message parses");
    assert_eq!(parsed.subject(), Some(mail.subject.as_str()));
    assert_eq!(parsed.message_id(), Some(mail.message_id.as_str()));

    let from = parsed.from().and_then(|from| from.first()).expect("From");
    assert_eq!(from.name(), Some(mail.from.name.as_str()));
    assert_eq!(from.address(), Some(mail.from.email.as_str()));

    let to: Vec<(Option<&str>, Option<&str>)> = parsed
        .to()
        .expect("To")
        .iter()
        .map(|addr| (addr.name(), addr.address()))
        .collect();
    let expected: Vec<(Option<&str>, Option<&str>)> = mail
        .to
        .iter()
        .map(|addr| (Some(addr.name.as_str()), Some(addr.email.as_str())))
        .collect();
    assert_eq!(
        to, expected,
        "the comma in „Müller, Hans“ must not split the mailbox"
    );

    let reply_to: Vec<(Option<&str>, Option<&str>)> = parsed
        .reply_to()
        .map(|list| {
            list.iter()
                .map(|addr| (addr.name(), addr.address()))
                .collect()
        })
        .unwrap_or_default();
    let expected: Vec<(Option<&str>, Option<&str>)> = mail
        .reply_to
        .iter()
        .map(|addr| (Some(addr.name.as_str()), Some(addr.email.as_str())))
        .collect();
    assert_eq!(reply_to, expected, "Reply-To");
    assert_eq!(
        parsed
            .header("Auto-Submitted")
            .and_then(|value| value.as_text()),
        Some("auto-generated")
    );

    let date = parsed.date().expect("Date");
    assert_eq!(
        (date.year, date.month, date.day, date.hour, date.minute),
        (2026, 3, 2, 9, 30)
    );
    assert_eq!(
        (date.tz_before_gmt, date.tz_hour),
        (false, 1),
        "local offset kept"
    );

    let body = parsed.body_text(0).expect("text part");
    assert_eq!(
        body.replace("\r\n", "\n").trim_end_matches('\n'),
        mail.text.trim_end_matches('\n')
    );

    let attachments: Vec<_> = parsed.attachments().collect();
    assert_eq!(attachments.len(), usize::from(mail.attachment.is_some()));
    if let Some(expected) = &mail.attachment {
        let part = attachments[0];
        let name = part.attachment_name().expect("attachment name");
        assert_eq!(name, ascii_file_name(&expected.file_name));
        assert!(name.is_ascii());
        let content_type = part.content_type().expect("content type");
        assert_eq!(
            format!(
                "{}/{}",
                content_type.ctype(),
                content_type.subtype().unwrap_or_default()
            ),
            expected.content_type
        );
        assert_eq!(part.content_transfer_encoding(), Some("base64"));
        assert_eq!(part.contents(), expected.bytes.as_slice());
    }

    // Nothing 8-bit or unencoded in the headers.
    let text = String::from_utf8_lossy(raw);
    let headers = text.split("\r\n\r\n").next().unwrap_or_default();
    assert!(headers.is_ascii(), "headers must be ASCII:\n{headers}");
    assert!(!headers.contains("Müller"), "names are RFC 2047 encoded");
}

fn smtp_settings(port: u16, security: RawSecurity) -> RawSmtp {
    RawSmtp {
        host: "127.0.0.1".to_owned(),
        port: Some(port),
        security,
        user_env: None,
        password_env: None,
        ca_file: None,
        timeout_seconds: Some(10),
    }
}

fn with_login(mut smtp: RawSmtp) -> RawSmtp {
    smtp.user_env = Some("RATSFLOW_TEST_SMTP_USER".to_owned());
    smtp.password_env = Some("RATSFLOW_TEST_SMTP_PASSWORD".to_owned());
    smtp
}

/// An environment holding only the given variables.
fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(key, value)| (key.to_string(), value.to_string()))
        .collect();
    move |name: &str| map.get(name).cloned()
}

fn login_env(password: &str) -> impl Fn(&str) -> Option<String> + use<> {
    env_of(&[
        ("RATSFLOW_TEST_SMTP_USER", USER),
        ("RATSFLOW_TEST_SMTP_PASSWORD", password),
    ])
}

fn eml_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("mail folder")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

// ---------------------------------------------------------------- files

#[test]
fn file_transport_writes_one_eml_per_message_id_and_overwrites_on_resend() {
    let out = tempfile::tempdir().expect("temp dir");
    let transport = transport::from_settings(None, out.path(), &env_of(&[])).expect("transport");
    assert!(transport.describe().contains("out") || transport.describe().contains(".eml"));

    let first = notice("a1b2c3d4");
    let second = notice("e5f6a7b8");
    transport.send(&first).expect("first");
    transport.send(&second).expect("second");
    let mut changed = first.clone();
    changed.text.push_str("Nachtrag\n");
    transport.send(&changed).expect("resend");

    let dir = out.path().join("mail");
    assert_eq!(
        eml_files(&dir),
        vec!["a1b2c3d4@ratsflow.eml", "e5f6a7b8@ratsflow.eml"],
        "same Message-ID, same file; no temporary files left"
    );
    let raw = std::fs::read(dir.join("a1b2c3d4@ratsflow.eml")).expect("eml");
    assert_parses_back(&raw, &changed);
    let raw = std::fs::read(dir.join("e5f6a7b8@ratsflow.eml")).expect("eml");
    assert_parses_back(&raw, &second);
}

#[test]
fn file_transport_without_smtp_settings_uses_out_mail() {
    let out = tempfile::tempdir().expect("temp dir");
    let mail = RawMail {
        from: RawMailbox {
            name: "Sitzungsdienst".to_owned(),
            email: "sitzungsdienst@kreis-muster.de".to_owned(),
        },
        smtp: None,
        attach: None,
    };
    let mail = MailSettings::from_raw(&mail, out.path()).expect("valid settings");
    let transport =
        transport::from_settings(Some(&mail), out.path(), &env_of(&[])).expect("transport");
    transport.send(&notice("ohne-smtp")).expect("send");
    assert!(out.path().join("mail/ohne-smtp@ratsflow.eml").is_file());
}

#[test]
fn file_names_of_odd_message_ids_stay_apart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let files = FileTransport::new(dir.path().to_path_buf());
    let plus = files.path_for("a+b@ratsflow");
    let underscore = files.path_for("a_b@ratsflow");
    assert_ne!(plus, underscore);
    let name = plus
        .file_name()
        .and_then(|name| name.to_str())
        .expect("name");
    assert!(
        name.starts_with("a_b@ratsflow-") && name.ends_with(".eml"),
        "{name}"
    );
    let dots = files.path_for("../../etc@x");
    assert_eq!(dots.parent(), Some(dir.path()), "never leaves the folder");
}

#[test]
fn message_without_attachment_is_plain_text() {
    let mut mail = notice("ohne-anhang");
    mail.attachment = None;
    let raw = message::build(&mail).expect("builds").formatted();
    assert_parses_back(&raw, &mail);
    let text = String::from_utf8_lossy(&raw);
    assert!(
        text.contains("Content-Type: text/plain; charset=utf-8"),
        "{text}"
    );
}

#[test]
fn non_ascii_attachment_names_are_made_ascii() {
    let mut mail = notice("anhangname");
    if let Some(attachment) = &mut mail.attachment {
        attachment.file_name = "Änderungsantrag 042/21 „Grüne“.docx".to_owned();
    }
    let raw = message::build(&mail).expect("builds").formatted();
    let parsed = MessageParser::default().parse(&raw).expect("parses");
    let part = parsed.attachments().next().expect("attachment");
    assert_eq!(
        part.attachment_name(),
        Some("Aenderungsantrag_042-21_Gruene.docx")
    );
}

#[test]
fn bad_addresses_are_named_in_german() {
    let mut mail = notice("kaputt");
    mail.to[1].email = "juergen.weiss(at)kreis-muster.de".to_owned();
    let err = message::build(&mail).expect_err("invalid address");
    let text = err.to_string();
    assert!(text.contains("juergen.weiss(at)kreis-muster.de"), "{text}");
    assert!(
        text.contains("Jürgen Weiß") && text.contains("ungültig"),
        "{text}"
    );

    let mut mail = notice("kaputt");
    mail.from.email = "sitzungsdienst".to_owned();
    let text = message::build(&mail)
        .expect_err("invalid sender")
        .to_string();
    assert!(
        text.contains("„sitzungsdienst“") && text.contains("Absender"),
        "{text}"
    );

    let mut mail = notice("kaputt");
    mail.to.clear();
    let text = message::build(&mail).expect_err("no recipient").to_string();
    assert!(text.contains("keinen Empfänger"), "{text}");

    let mut mail = notice("kaputt");
    mail.message_id = "<x y>".to_owned();
    let text = message::build(&mail).expect_err("bad id").to_string();
    assert!(text.contains("Message-ID"), "{text}");

    // The file transport reports them as permanent: retrying cannot help.
    let dir = tempfile::tempdir().expect("temp dir");
    let mut mail = notice("kaputt");
    mail.to[0].email = "hans mueller@kreis-muster.de".to_owned();
    let err = FileTransport::new(dir.path().to_path_buf())
        .send(&mail)
        .expect_err("permanent");
    assert!(matches!(err, SendError::Permanent(_)), "{err:?}");
}

#[test]
fn ascii_file_name_table() {
    let table = [
        ("Vorlage_042-21.docx", "Vorlage_042-21.docx"),
        ("Vorlage 042/21.docx", "Vorlage_042-21.docx"),
        (
            "Änderungsantrag Öffentlichkeit Übersicht",
            "Aenderungsantrag_Oeffentlichkeit_Uebersicht",
        ),
        ("Straße ärgerlich öde übel", "Strasse_aergerlich_oede_uebel"),
        ("Antrag „Radweg“.docx", "Antrag_Radweg.docx"),
        ("Mitteilung – Haushalt 2026", "Mitteilung_-_Haushalt_2026"),
        ("Bau & Umwelt", "Bau_und_Umwelt"),
        ("  Vorlage   mit  Lücken  ", "Vorlage_mit_Luecken"),
        ("Café Crème", "Cafe_Creme"),
        (r"a\b:c*d?e<f>g|h", "a-bcdefgh"),
        ("../../etc/passwd", "etc-passwd"),
        (".versteckt", "versteckt"),
        ("Beschluss Nr. 7", "Beschluss_Nr._7"),
        ("€ 📎", "Anhang"),
        ("", "Anhang"),
    ];
    for (input, expected) in table {
        let got = ascii_file_name(input);
        assert_eq!(got, expected, "ascii_file_name({input:?})");
        assert!(
            got.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        );
        assert_eq!(ascii_file_name(&got), got, "idempotent for {input:?}");
    }
}

// ---------------------------------------------------------------- SMTP with TLS

#[test]
fn starttls_with_login_delivers_and_trusts_the_ca_file() {
    let server = TestSmtp::start(Options::starttls_with_login(USER, PASSWORD));
    let dir = tempfile::tempdir().expect("temp dir");
    let ca = server.write_ca(dir.path());
    let mut settings = with_login(smtp_settings(server.port, RawSecurity::Starttls));
    // A host name, so the certificate is checked against a DNS name as for a real server.
    settings.host = "localhost".to_owned();
    settings.ca_file = Some(ca.display().to_string());

    let transport = SmtpTransport::from_settings(&settings, &login_env(PASSWORD)).expect("smtp");
    let description = transport.describe();
    assert!(description.contains("STARTTLS"), "{description}");
    assert!(
        !description.contains(PASSWORD) && !description.contains(USER),
        "{description}"
    );

    let mail = notice("starttls-1");
    transport.send(&mail).expect("delivered");
    transport
        .send(&notice("starttls-2"))
        .expect("second over the same settings");

    let received = server.received();
    assert_eq!(received.len(), 2);
    assert!(received[0].tls, "the message went over TLS");
    assert_eq!(
        received[0].user.as_deref(),
        Some(USER),
        "credentials from the env"
    );
    assert_eq!(received[0].from, "sitzungsdienst@kreis-muster.de");
    assert_eq!(
        received[0].to,
        vec!["hans.mueller@kreis-muster.de", "j.weiss@kreis-muster.de"]
    );
    assert_parses_back(&received[0].data, &mail);
}

#[test]
fn implicit_tls_delivers() {
    let server = TestSmtp::start(Options::tls_with_login(USER, PASSWORD));
    let dir = tempfile::tempdir().expect("temp dir");
    let mut settings = with_login(smtp_settings(server.port, RawSecurity::Tls));
    settings.ca_file = Some(server.write_ca(dir.path()).display().to_string());
    let transport = SmtpTransport::from_settings(&settings, &login_env(PASSWORD)).expect("smtp");
    let mail = notice("implicit-tls");
    transport.send(&mail).expect("delivered");
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert!(received[0].tls);
    assert_parses_back(&received[0].data, &mail);
}

#[test]
fn wrong_password_is_permanent_and_never_shown() {
    let server = TestSmtp::start(Options::starttls_with_login(USER, PASSWORD));
    let dir = tempfile::tempdir().expect("temp dir");
    let mut settings = with_login(smtp_settings(server.port, RawSecurity::Starttls));
    settings.ca_file = Some(server.write_ca(dir.path()).display().to_string());
    let wrong = "Falsch-Passwort-0815";
    let transport = SmtpTransport::from_settings(&settings, &login_env(wrong)).expect("smtp");

    let err = transport
        .send(&notice("falsch"))
        .expect_err("login refused");
    assert!(matches!(err, SendError::Permanent(_)), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("535"), "{text}");
    assert!(!text.contains(wrong) && !text.contains(PASSWORD), "{text}");
    assert!(!format!("{err:?}").contains(wrong));
    assert!(!format!("{transport:?}").contains(wrong));
    assert_eq!(server.failed_logins(), 1);
    assert!(server.messages().is_empty());
}

#[test]
fn unknown_certificate_authority_is_temporary_tls_trouble() {
    let server = TestSmtp::start(Options::starttls_with_login(USER, PASSWORD));
    // No ca_file: the throw-away CA is not trusted.
    let settings = with_login(smtp_settings(server.port, RawSecurity::Starttls));
    let transport = SmtpTransport::from_settings(&settings, &login_env(PASSWORD)).expect("smtp");
    let err = transport
        .send(&notice("unbekannte-ca"))
        .expect_err("untrusted");
    assert!(matches!(err, SendError::Temporary(_)), "{err:?}");
    assert!(err.to_string().contains("TLS"), "{err}");
    assert_eq!(
        server.failed_logins(),
        0,
        "no credentials before a trusted TLS session"
    );
    assert!(server.messages().is_empty());
}

// ---------------------------------------------------------------- plain SMTP, failures

#[test]
fn plain_smtp_delivers_to_a_local_relay() {
    let server = TestSmtp::start(Options::plain());
    let transport = SmtpTransport::from_settings(
        &smtp_settings(server.port, RawSecurity::Plain),
        &env_of(&[]),
    )
    .expect("smtp");
    let mail = notice("plain");
    transport.send(&mail).expect("delivered");
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert!(!received[0].tls && received[0].user.is_none());
    assert_parses_back(&received[0].data, &mail);
}

#[test]
fn smtp_replies_are_sorted_into_temporary_and_permanent() {
    let server = TestSmtp::start(Options::plain());
    let transport = SmtpTransport::from_settings(
        &smtp_settings(server.port, RawSecurity::Plain),
        &env_of(&[]),
    )
    .expect("smtp");

    let cases = [
        (Stage::Rcpt, 451, true),
        (Stage::Rcpt, 550, false),
        (Stage::Data, 451, true),
        (Stage::Data, 554, false),
    ];
    for (stage, code, temporary) in cases {
        server.fail_next(stage, code);
        let err = transport
            .send(&notice("abgelehnt"))
            .expect_err("server refuses");
        assert_eq!(err.is_temporary(), temporary, "{stage:?} {code}: {err:?}");
        assert!(err.to_string().contains(&code.to_string()), "{err}");
        assert!(err.to_string().contains("Mailserver"), "{err}");
    }
    assert!(server.messages().is_empty());

    // The next attempt goes through.
    transport.send(&notice("abgelehnt")).expect("accepted now");
    assert_eq!(server.messages().len(), 1);
}

#[test]
fn outage_is_temporary_and_a_restart_recovers() {
    let mut server = TestSmtp::start(Options::plain());
    let transport = SmtpTransport::from_settings(
        &smtp_settings(server.port, RawSecurity::Plain),
        &env_of(&[]),
    )
    .expect("smtp");
    transport
        .send(&notice("vor-ausfall"))
        .expect("before the outage");

    server.stop();
    let err = transport
        .send(&notice("waehrend-ausfall"))
        .expect_err("server down");
    assert!(matches!(err, SendError::Temporary(_)), "{err:?}");
    assert!(err.to_string().contains("Verbindung"), "{err}");

    server.restart();
    transport
        .send(&notice("waehrend-ausfall"))
        .expect("after the restart");
    let ids: Vec<String> = server
        .messages()
        .iter()
        .filter_map(|raw| {
            MessageParser::default()
                .parse(raw)
                .and_then(|parsed| parsed.message_id().map(str::to_owned))
        })
        .collect();
    assert_eq!(
        ids,
        vec!["vor-ausfall@ratsflow", "waehrend-ausfall@ratsflow"]
    );
}

// ---------------------------------------------------------------- settings

#[test]
fn settings_errors_are_german_and_keep_secrets() {
    let env = login_env(PASSWORD);

    // Credentials over plain SMTP only to this machine.
    let mut remote = with_login(smtp_settings(25, RawSecurity::Plain));
    remote.host = "mail.kreis-muster.de".to_owned();
    let err = SmtpTransport::from_settings(&remote, &env)
        .expect_err("plain login remote")
        .to_string();
    assert!(
        err.contains("unverschlüsselt") && !err.contains(PASSWORD),
        "{err}"
    );
    let mut local = remote.clone();
    local.host = "127.0.0.1".to_owned();
    assert!(SmtpTransport::from_settings(&local, &env).is_ok());

    // A named variable that is not set is reported by name.
    let settings = with_login(smtp_settings(587, RawSecurity::Starttls));
    let err =
        SmtpTransport::from_settings(&settings, &env_of(&[("RATSFLOW_TEST_SMTP_USER", USER)]))
            .expect_err("password missing")
            .to_string();
    assert!(err.contains("RATSFLOW_TEST_SMTP_PASSWORD"), "{err}");

    // Only one of the two names.
    let mut half = smtp_settings(587, RawSecurity::Starttls);
    half.user_env = Some("RATSFLOW_TEST_SMTP_USER".to_owned());
    let err = SmtpTransport::from_settings(&half, &env)
        .expect_err("half")
        .to_string();
    assert!(err.contains("password_env"), "{err}");

    // A CA file that is missing or holds no certificate.
    let dir = tempfile::tempdir().expect("temp dir");
    let mut bad_ca = smtp_settings(587, RawSecurity::Starttls);
    bad_ca.ca_file = Some(dir.path().join("fehlt.pem").display().to_string());
    let err = SmtpTransport::from_settings(&bad_ca, &env)
        .expect_err("missing CA")
        .to_string();
    assert!(
        err.contains("fehlt.pem") && err.contains("nicht gefunden"),
        "{err}"
    );
    let junk = dir.path().join("junk.pem");
    std::fs::write(&junk, "kein Zertifikat").expect("write");
    bad_ca.ca_file = Some(junk.display().to_string());
    let err = SmtpTransport::from_settings(&bad_ca, &env)
        .expect_err("junk CA")
        .to_string();
    assert!(err.contains("kein lesbares Zertifikat"), "{err}");

    // Default ports.
    let mut implicit = smtp_settings(0, RawSecurity::Tls);
    implicit.port = None;
    let description = SmtpTransport::from_settings(&implicit, &env)
        .expect("tls")
        .describe();
    assert!(description.contains("127.0.0.1:465"), "{description}");
    let mut starttls = smtp_settings(0, RawSecurity::Starttls);
    starttls.port = None;
    let description = SmtpTransport::from_settings(&starttls, &env)
        .expect("starttls")
        .describe();
    assert!(description.contains("127.0.0.1:587"), "{description}");

    // The settings select SMTP when mail.smtp is present.
    let mail = RawMail {
        from: RawMailbox {
            name: "Sitzungsdienst".to_owned(),
            email: "sitzungsdienst@kreis-muster.de".to_owned(),
        },
        smtp: Some(starttls),
        attach: None,
    };
    let mail = MailSettings::from_raw(&mail, dir.path()).expect("valid settings");
    let chosen = transport::from_settings(Some(&mail), dir.path(), &env).expect("smtp");
    assert!(chosen.describe().contains("SMTP"), "{}", chosen.describe());
}

// ---------------------------------------------------------------- external peer (CI)

/// Delivers to an SMTP server of another implementation, `tests/peers/smtp_server.py`
/// (aiosmtpd), named by environment variables; `tests/peers/check_mail.py` then reads what
/// arrived. Run by hand or in CI:
///
/// ```text
/// python3 tests/peers/smtp_server.py --dir "$MAILDIR" --user ratsflow --password geheim &
/// # it prints: ready <port> <ca-file>
/// RATSFLOW_PEER_SMTP_PORT=<port> RATSFLOW_PEER_SMTP_CA=<ca-file> \
/// RATSFLOW_PEER_SMTP_USER=ratsflow RATSFLOW_PEER_SMTP_PASSWORD=geheim \
/// RATSFLOW_PEER_DOCX=some.docx \
///   cargo test --test mail_transport -- --ignored peer_smtp_server
/// python3 tests/peers/check_mail.py "$MAILDIR" --expect-docx --expect-count 3
/// ```
#[test]
#[ignore = "needs tests/peers/smtp_server.py running; see the doc comment"]
fn peer_smtp_server_receives_notices() {
    let var = |name: &str| std::env::var(name).ok();
    let port: u16 = var("RATSFLOW_PEER_SMTP_PORT")
        .and_then(|port| port.parse().ok())
        .expect("RATSFLOW_PEER_SMTP_PORT: the port smtp_server.py printed");
    let mut settings = with_login(smtp_settings(port, RawSecurity::Starttls));
    settings.host = "localhost".to_owned();
    settings.user_env = Some("RATSFLOW_PEER_SMTP_USER".to_owned());
    settings.password_env = Some("RATSFLOW_PEER_SMTP_PASSWORD".to_owned());
    settings.ca_file = var("RATSFLOW_PEER_SMTP_CA");
    let docx = var("RATSFLOW_PEER_DOCX")
        .map(|path| std::fs::read(&path).expect("RATSFLOW_PEER_DOCX readable"));

    let real_env = |name: &str| std::env::var(name).ok();
    let transport = SmtpTransport::from_settings(&settings, &real_env).expect("smtp settings");
    for number in 1..=3 {
        let mut mail = notice(&format!("peer-{number}"));
        mail.subject = format!("Zeichnung erbeten ({number}/3): Änderungsantrag „Grünfläche“");
        mail.attachment = docx.as_ref().map(|bytes| Attachment {
            file_name: format!("Vorlage 042/21 Anlage {number}.docx"),
            content_type: DOCX_CONTENT_TYPE.to_owned(),
            bytes: bytes.clone(),
        });
        transport.send(&mail).expect("the peer accepts the message");
    }

    // A wrong password is refused for good, and the refusal does not show it.
    let wrong = "Falsch-0815-Peer";
    let wrong_env = |name: &str| {
        if name == "RATSFLOW_PEER_SMTP_PASSWORD" {
            Some(wrong.to_owned())
        } else {
            std::env::var(name).ok()
        }
    };
    let refused = SmtpTransport::from_settings(&settings, &wrong_env).expect("smtp settings");
    let err = refused
        .send(&notice("peer-falsch"))
        .expect_err("login refused");
    assert!(matches!(err, SendError::Permanent(_)), "{err:?}");
    assert!(!err.to_string().contains(wrong), "{err}");
}

#[test]
fn a_refusal_that_echoes_the_auth_payload_keeps_code_and_words_but_no_secret() {
    let server = TestSmtp::start(Options::starttls_with_login(USER, PASSWORD));
    server.echo_auth_in_refusals();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut settings = with_login(smtp_settings(server.port, RawSecurity::Starttls));
    settings.ca_file = Some(server.write_ca(dir.path()).display().to_string());
    let transport = SmtpTransport::from_settings(&settings, &login_env(PASSWORD)).expect("smtp");

    let err = transport.send(&notice("echo")).expect_err("login refused");
    assert!(matches!(err, SendError::Permanent(_)), "{err:?}");
    let text = err.to_string();
    let plain = smtp::base64(format!("\0{USER}\0{PASSWORD}").as_bytes());
    for secret in [
        plain.as_str(),
        &smtp::base64(USER.as_bytes()),
        &smtp::base64(PASSWORD.as_bytes()),
        USER,
        PASSWORD,
    ] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    assert!(text.contains("(535)"), "the reply code stays: {text}");
    assert!(
        text.contains("Authentication failed: AUTH PLAIN *** / LOGIN *** ***"),
        "the server's words stay: {text}"
    );
    assert!(!text.contains('\n') && !text.contains('\r'), "{text:?}");
}

#[test]
fn hostile_header_text_is_flattened_never_a_panic_or_a_new_header() {
    let out = tempfile::tempdir().expect("temp dir");
    let transport = transport::from_settings(None, out.path(), &env_of(&[])).expect("transport");
    let mut mail = notice("kopfzeilen");
    mail.to = vec![Address::new(
        "Frau\nLübbert\r\nBcc: opfer@example.org",
        "luebbert@kreis-muster.de",
    )];
    mail.from.name = "Sitzungsdienst \"Kreis\" <Muster>\t\\".to_owned();
    mail.subject = "Bitte unterschreiben:\nBcc: opfer@example.org".to_owned();
    transport.send(&mail).expect("sent, not refused");
    let raw = std::fs::read(out.path().join("mail/kopfzeilen@ratsflow.eml")).expect("eml");
    let parsed = MessageParser::default().parse(&raw).expect("parses");
    assert_eq!(
        parsed.subject(),
        Some("Bitte unterschreiben: Bcc: opfer@example.org")
    );
    assert!(parsed.bcc().is_none(), "no header was injected");
    let to = parsed.to().and_then(|to| to.first()).expect("To");
    assert_eq!(to.name(), Some("Frau Lübbert Bcc: opfer@example.org"));
    assert_eq!(to.address(), Some("luebbert@kreis-muster.de"));
    let from = parsed.from().and_then(|from| from.first()).expect("From");
    assert_eq!(from.name(), Some("Sitzungsdienst \"Kreis\" <Muster> \\"));
}
