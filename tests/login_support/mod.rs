//! A browser for the `serve_login`/`serve_board` tests: keeps the cookies a real browser
//! would keep for 127.0.0.1, sends them back, and logs in the way a person does — request
//! the link, take it from the `.eml` the service wrote, open it, press the button.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::serve_support::{Answer, Example, PUBLIC, Server, form_body};

pub const OFFICE: &str = "kreistagsbuero@kreis-gross-gerau.example";
pub const FRAKTION_GG: &str = "fraktion@gruene-kreistag-gg.example";
pub const FRAKTION_UNNA: &str = "herbert.goldmann@gruene-kreistag-unna.example";

/// Cookies by name, and the client address the proxy would report.
pub struct Browser<'a> {
    pub server: &'a Server,
    pub cookies: BTreeMap<String, String>,
    pub ip: String,
}

impl<'a> Browser<'a> {
    pub fn new(server: &'a Server, ip: &str) -> Self {
        Browser {
            server,
            cookies: BTreeMap::new(),
            ip: ip.to_string(),
        }
    }

    fn send(&mut self, method: &str, path: &str, body: Option<&str>) -> Answer {
        let cookie: Vec<String> = self
            .cookies
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect();
        let cookie = cookie.join("; ");
        let mut headers = vec![("X-Forwarded-For", self.ip.as_str())];
        if !cookie.is_empty() {
            headers.push(("Cookie", cookie.as_str()));
        }
        let answer = self.server.raw_with(method, path, &headers, body);
        for (name, value) in &answer.headers {
            if !name.eq_ignore_ascii_case("set-cookie") {
                continue;
            }
            let first = value.split(';').next().unwrap_or_default();
            if let Some((n, v)) = first.split_once('=') {
                let removed = value.contains("Max-Age=0");
                if removed || v.is_empty() {
                    self.cookies.remove(n.trim());
                } else {
                    self.cookies
                        .insert(n.trim().to_string(), v.trim().to_string());
                }
            }
        }
        answer
    }

    pub fn get(&mut self, path: &str) -> Answer {
        self.send("GET", path, None)
    }

    pub fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Answer {
        let body = form_body(form);
        self.send("POST", path, Some(&body))
    }

    /// Loads the login page and asks for a link for `email`.
    pub fn request_link(&mut self, email: &str) -> Answer {
        let page = self.get("/anmelden");
        assert_eq!(page.status, 200, "{}", page.text());
        let csrf = page.field("csrf");
        self.post(
            "/anmelden",
            &[("email", email), ("csrf", &csrf), ("weiter", "/uebersicht")],
        )
    }

    /// Opens a login link and presses „Jetzt anmelden“; returns the answer to the POST.
    pub fn follow(&mut self, link: &str) -> Answer {
        let path = Server::path_of(link);
        let page = self.get(&path);
        assert_eq!(page.status, 200, "{}", page.text());
        let csrf = page.field("csrf");
        self.post(&path, &[("csrf", &csrf)])
    }

    /// The whole login of `email`; panics if it fails.
    pub fn login(&mut self, example: &Example, email: &str) {
        let before = login_links(example, email).len();
        let answer = self.request_link(email);
        assert_eq!(answer.status, 200, "{}", answer.text());
        let link = wait_for_link(example, email, before);
        let answer = self.follow(&link);
        assert_eq!(answer.status, 303, "{}", answer.text());
        assert!(self.cookies.contains_key("__Host-ratsflow"));
    }
}

/// Every login link mailed to `email` so far, oldest first.
pub fn login_links(example: &Example, email: &str) -> Vec<String> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(example.path().join("out/mail")) else {
        return found;
    };
    let mut files: Vec<_> = entries.filter_map(Result::ok).collect();
    files.sort_by_key(|e| e.metadata().and_then(|m| m.modified()).ok());
    for entry in files {
        let bytes = std::fs::read(entry.path()).unwrap_or_default();
        let Some(message) = mail_parser::MessageParser::default().parse(&bytes) else {
            continue;
        };
        if message.subject() != Some("Anmeldung bei ratsflow") {
            continue;
        }
        let to_matches = message
            .to()
            .and_then(|to| to.first())
            .and_then(|a| a.address())
            .is_some_and(|a| a.eq_ignore_ascii_case(email));
        if !to_matches {
            continue;
        }
        let text = message.body_text(0).unwrap_or_default().into_owned();
        for line in text.lines() {
            if let Some(at) = line.find(&format!("{PUBLIC}/anmelden/")) {
                found.push(line[at..].trim().to_string());
            }
        }
    }
    found
}

/// Waits until more than `before` login links reached `email`; returns the newest.
pub fn wait_for_link(example: &Example, email: &str, before: usize) -> String {
    let start = Instant::now();
    loop {
        let links = login_links(example, email);
        if links.len() > before {
            return links[links.len() - 1].clone();
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no login link for {email}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
