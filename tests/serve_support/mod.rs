//! Harness of the `serve_*` tests: a copy of the example project with `serve:` settings, the
//! real binary running `ratsflow serve` on 127.0.0.1 with a free port, and a plain HTTP client.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[path = "../support/example_copy.rs"]
mod example_copy;

/// The simulated moment of every test: 017/26 waits for its Mitzeichnung.
pub const NOW: &str = "2026-12-01T09:00:00+01:00";
/// The public address written into `ratsflow.yaml`.
pub const PUBLIC: &str = "https://rats.example";

/// A copy of the example project plus a folder for the key outside it.
pub struct Example {
    pub dir: tempfile::TempDir,
    pub keys: tempfile::TempDir,
}

impl Example {
    /// The example's inputs and journal, with `serve:` pointing the key outside the project.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        example_copy::copy_example_project(dir.path());
        let keys = tempfile::tempdir().unwrap();
        let example = Example { dir, keys };
        let settings = example.read("ratsflow.yaml");
        example.write(
            "ratsflow.yaml",
            &format!(
                "{settings}\nserve:\n  public_url: {PUBLIC}\n  key_file: {}\n",
                example.key_path().display()
            ),
        );
        example
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn key_path(&self) -> PathBuf {
        self.keys.path().join("links.key")
    }

    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path().join(relative)).unwrap_or_default()
    }

    pub fn write(&self, relative: &str, text: &str) {
        std::fs::write(self.path().join(relative), text).unwrap();
    }

    pub fn edit(&self, relative: &str, from: &str, to: &str) {
        let text = self.read(relative);
        assert!(text.contains(from), "{relative} lacks {from:?}");
        self.write(relative, &text.replacen(from, to, 1));
    }

    /// Runs `ratsflow --project … --now NOW ARGS`; (exit code, stdout, stderr).
    pub fn ratsflow(&self, args: &[&str]) -> (i32, String, String) {
        let output = Command::new(env!("CARGO_BIN_EXE_ratsflow"))
            .arg("--project")
            .arg(self.path())
            .args(["--now", NOW])
            .args(args)
            .env("NO_COLOR", "1")
            .env_remove("RATSFLOW_PROJECT")
            .output()
            .unwrap();
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }

    /// The links of every mail written to `out/mail/` for `email`, oldest first (by the
    /// mail's position in the outbox is not known: by file time).
    pub fn links_for(&self, email: &str) -> Vec<String> {
        let mut found = Vec::new();
        let Ok(entries) = std::fs::read_dir(self.path().join("out/mail")) else {
            return found;
        };
        let mut files: Vec<_> = entries.filter_map(Result::ok).collect();
        files.sort_by_key(|e| e.metadata().and_then(|m| m.modified()).ok());
        for entry in files {
            // The running service writes mail by rename: only finished `.eml` files count, and
            // one listed a moment ago may be gone.
            if entry.path().extension().is_none_or(|e| e != "eml") {
                continue;
            }
            let Ok(bytes) = std::fs::read(entry.path()) else {
                continue;
            };
            let Some(message) = mail_parser::MessageParser::default().parse(&bytes) else {
                continue;
            };
            let to_matches = message
                .to()
                .and_then(|to| to.first())
                .and_then(|a| a.address())
                .is_some_and(|a| a == email);
            if !to_matches {
                continue;
            }
            let text = message.body_text(0).unwrap_or_default().into_owned();
            for line in text.lines() {
                if let Some(link) = line.strip_prefix("Vorlage ansehen und zeichnen: ") {
                    found.push(link.trim().to_string());
                }
            }
        }
        found
    }

    /// The single link mailed to `email`.
    pub fn link_for(&self, email: &str) -> String {
        let links = self.links_for(email);
        assert_eq!(links.len(), 1, "links to {email}: {links:?}");
        links[0].clone()
    }

    /// Waits up to 30 seconds until `email` has been mailed `count` links or more, as after a
    /// change the watcher asks again with a fresh one; fails with the service's log.
    pub fn wait_for_links(&self, email: &str, count: usize, server: &Server) {
        let start = Instant::now();
        while self.links_for(email).len() < count {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "no fresh link:\n{}",
                server.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Starts `ratsflow serve` on a free port and waits until its first pass is done.
    pub fn serve(&self) -> Server {
        self.serve_at(NOW)
    }

    /// [`Example::serve`] with the service's clock starting at `now`.
    pub fn serve_at(&self, now: &str) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ratsflow"))
            .arg("--project")
            .arg(self.path())
            .args(["--now", now, "serve", "--listen", "127.0.0.1:0"])
            .env("NO_COLOR", "1")
            .env_remove("RATSFLOW_PROJECT")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let stderr = child.stderr.take().unwrap();
        let sink = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        let mut server = Server {
            child: Some(child),
            log,
            addr: String::new(),
        };
        let log = server.wait_for_log("bereit:", Duration::from_secs(60));
        let addr = log
            .lines()
            .find_map(|l| l.strip_prefix("Webdienst: http://"))
            .map(|a| a.trim_end_matches('/').to_string())
            .unwrap_or_else(|| panic!("no address in log:\n{log}"));
        server.addr = addr;
        server
    }
}

/// A running `ratsflow serve`; stopped with SIGTERM when dropped.
pub struct Server {
    child: Option<Child>,
    log: Arc<Mutex<String>>,
    pub addr: String,
}

/// One HTTP answer.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The value of a hidden input of the page's first form.
    pub fn field(&self, name: &str) -> String {
        let text = self.text();
        let marker = format!("name=\"{name}\" value=\"");
        let start = text
            .find(&marker)
            .unwrap_or_else(|| panic!("no {name} in {text}"))
            + marker.len();
        text[start..]
            .split('"')
            .next()
            .unwrap_or_default()
            .to_string()
    }
}

impl Server {
    /// Everything the service printed so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Waits until the log contains `needle`; returns the log.
    pub fn wait_for_log(&self, needle: &str, limit: Duration) -> String {
        let start = Instant::now();
        loop {
            let log = self.log();
            if log.contains(needle) {
                return log;
            }
            assert!(start.elapsed() < limit, "no {needle:?} in log:\n{log}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The path of a public link on this server.
    pub fn path_of(link: &str) -> String {
        link.strip_prefix(PUBLIC)
            .unwrap_or_else(|| panic!("not a link of ours: {link}"))
            .to_string()
    }

    /// Sends a raw request (the path is sent exactly as given) and reads the answer.
    pub fn raw(&self, method: &str, path: &str, body: Option<&str>) -> Answer {
        self.raw_with(method, path, &[], body)
    }

    /// [`Server::raw`] with extra header lines (`Cookie`, `X-Forwarded-For`).
    pub fn raw_with(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Answer {
        let extra: String = headers
            .iter()
            .map(|(name, value)| format!("{name}: {value}\r\n"))
            .collect();
        let mut stream = std::net::TcpStream::connect(&self.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let body = body.unwrap_or("");
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n{extra}\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            self.addr,
            body.len()
        );
        stream.write_all(request.as_bytes()).unwrap();
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).unwrap();
        parse(&bytes)
    }

    pub fn get(&self, path: &str) -> Answer {
        self.raw("GET", path, None)
    }

    pub fn post(&self, path: &str, form: &[(&str, &str)]) -> Answer {
        let body: Vec<String> = form
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        self.raw("POST", path, Some(&body.join("&")))
    }

    /// Stops the service with SIGTERM; returns its exit code.
    pub fn stop(&mut self) -> i32 {
        let Some(mut child) = self.child.take() else {
            return -1;
        };
        let pid = child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let start = Instant::now();
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            if start.elapsed() > Duration::from_secs(20) {
                let _ = child.kill();
                panic!("serve did not stop on SIGTERM:\n{}", self.log());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A form body, URL-encoded.
pub fn form_body(form: &[(&str, &str)]) -> String {
    let body: Vec<String> = form
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    body.join("&")
}

fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A minimal HTTP/1.1 response parser (Content-Length or read-to-close bodies).
pub fn parse(bytes: &[u8]) -> Answer {
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("no header end");
    let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .expect("no status");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = bytes[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Answer {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(end) = data.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&data[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            return out;
        }
        let start = end + 2;
        out.extend_from_slice(&data[start..start + size]);
        data = &data[start + size + 2..];
    }
}
