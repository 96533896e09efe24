//! The login mail „Anmeldung bei ratsflow“: one link per account the address belongs to,
//! sent through the project's own mail transport (SMTP, or `.eml` files under `out/mail/`), so
//! it reaches people the way their requests to sign do.

use chrono::DateTime;

use crate::load::Project;
use crate::mail::message::{Address, OutgoingMail};
use crate::mail::transport;
use crate::serve::session::{self, User};

pub fn base_url(project: &Project) -> String {
    let serve = &project.settings.serve;
    serve
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", serve.listen))
}

/// Mails the login `links` (one per account of `email`); failures are logged, never shown:
/// the person was already told the same as anyone.
pub fn send(
    project: &Project,
    email: &str,
    links: &[(User, String)],
    date: DateTime<chrono::FixedOffset>,
) {
    let Some((first, _)) = links.first() else {
        return;
    };
    let env = |name: &str| std::env::var(name).ok();
    let transport = match transport::from_settings(
        project.settings.mail.as_ref(),
        &project.folders().out,
        &env,
    ) {
        Ok(transport) => transport,
        Err(err) => {
            eprintln!("Fehler: Anmeldelink nicht versandt: {err}");
            return;
        }
    };
    let person = project.directory.person(&first.person);
    let from = match &project.settings.mail {
        Some(mail) => Address::new(mail.from_name.clone(), mail.from.to_string()),
        None => {
            let org = person
                .and_then(|p| p.organisation.as_deref())
                .and_then(|o| project.directory.organisations.get(o));
            Address::new(
                org.map_or("ratsflow".to_string(), |o| o.name.clone()),
                "ratsflow@ratsflow.invalid",
            )
        }
    };
    let domain = from
        .email
        .rsplit_once('@')
        .map_or("ratsflow.invalid", |(_, d)| d)
        .trim()
        .to_string();
    let mut text = format!(
        "Guten Tag {},\n\nSie haben die Anmeldung bei ratsflow angefordert.",
        first.name
    );
    if links.len() == 1 {
        text.push_str(" Mit diesem Link melden Sie sich an:\n\n");
        text.push_str(&format!("Anmelden: {}\n", links[0].1));
    } else {
        text.push_str(" Zu dieser Adresse gehören mehrere Zugänge; wählen Sie den passenden:\n\n");
        for (user, url) in links {
            text.push_str(&format!("Anmelden als {}: {url}\n", user.name));
        }
    }
    text.push_str(
        "\nDer Link gilt 15 Minuten und nur für eine Anmeldung. Wenn Sie die Anmeldung nicht \
         angefordert haben, können Sie diese Nachricht löschen; ohne den Link meldet sich \
         niemand an.\n",
    );
    let Ok(id) = session::random_id() else {
        return;
    };
    let id: String = id.chars().filter(char::is_ascii_alphanumeric).collect();
    let mail = OutgoingMail {
        message_id: format!("anmeldung-{id}@{domain}"),
        from,
        to: vec![Address::new(
            person.map_or(first.name.clone(), |p| p.name.clone()),
            person.map_or(email.to_string(), |p| p.email.clone()),
        )],
        subject: "Anmeldung bei ratsflow".to_string(),
        text,
        attachment: None,
        anlagen: Vec::new(),
        date,
        reply_to: Vec::new(),
    };
    if let Err(err) = transport.send(&mail) {
        eprintln!("Fehler: Anmeldelink nicht versandt: {err}");
    }
}
