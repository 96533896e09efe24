//! Harness of the `browser_*` tests: a real Chromium, driven over WebDriver (fantoccini) by a
//! chromedriver on a free port of 127.0.0.1, one per test binary, plus the checks every page
//! must pass in the browser (accessibility basics and, where installed, axe-core).
//!
//! Where chromium or chromedriver are missing the tests say why and pass — unless
//! `RATSFLOW_REQUIRE_BROWSER` is set (as `.ci/browser` does), then the missing browser fails.
//! Chromium runs headless with the flags that keep it from reaching for the (closed) network,
//! and each session gets a fresh profile folder.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

/// Set to regenerate `docs/screenshots/*.png`.
pub const SCREENSHOTS_ENV: &str = "RATSFLOW_SCREENSHOTS";

/// The flags without which Chromium hangs on this machine's closed network.
const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--lang=de-DE",
    "--window-size=1100,1400",
];

fn which(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in names {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// The browser's binary and the base URL of the chromedriver of this test binary.
struct Driver {
    chromium: PathBuf,
    url: String,
}

static DRIVER: OnceLock<Result<Driver, String>> = OnceLock::new();

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(0)
}

fn start_driver() -> Result<Driver, String> {
    let chromium = which(&["chromium", "chromium-browser", "google-chrome"])
        .ok_or("no chromium on PATH (apt-get install chromium)")?;
    let chromedriver = which(&["chromedriver"])
        .ok_or("no chromedriver on PATH (apt-get install chromium-driver)")?;
    let port = free_port();
    // A watchdog shell ends the driver (and the browsers it started, one process group) when
    // this test binary is gone, however it ended.
    let script = r#"
        "$1" --port="$2" --allowed-ips=127.0.0.1 >/dev/null 2>&1 &
        driver=$!
        while kill -0 "$3" 2>/dev/null && kill -0 "$driver" 2>/dev/null; do sleep 0.5; done
        kill "$driver" 2>/dev/null
        sleep 0.5
        kill -9 0 2>/dev/null
    "#;
    Command::new("setsid")
        .args(["sh", "-c", script, "sh"])
        .arg(&chromedriver)
        .arg(port.to_string())
        .arg(std::process::id().to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("chromedriver did not start: {e}"))?;
    let start = Instant::now();
    loop {
        if let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let request = format!(
                "GET /status HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
            );
            // chromedriver may keep the connection open: read what came, not to the end.
            let mut answer = Vec::new();
            let mut buffer = [0u8; 4096];
            if stream.write_all(request.as_bytes()).is_ok() {
                while let Ok(n @ 1..) = stream.read(&mut buffer) {
                    answer.extend_from_slice(&buffer[..n]);
                    if String::from_utf8_lossy(&answer).contains("\"ready\":true") {
                        break;
                    }
                }
            }
            if String::from_utf8_lossy(&answer).contains("\"ready\":true") {
                break;
            }
        }
        if start.elapsed() > Duration::from_secs(30) {
            return Err(format!("chromedriver on port {port} did not get ready"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(Driver {
        chromium,
        url: format!("http://127.0.0.1:{port}"),
    })
}

/// Whether browser tests must run (CI) rather than be skipped.
pub fn required() -> bool {
    std::env::var_os("RATSFLOW_REQUIRE_BROWSER").is_some_and(|v| !v.is_empty() && v != "0")
}

/// A headless Chromium session; closed when dropped (also when a test fails).
pub struct Browser {
    runtime: tokio::runtime::Runtime,
    client: Option<Client>,
    _profile: tempfile::TempDir,
}

/// Starts a browser, or says why there is none: `None` means "skip this test".
pub fn browser() -> Option<Browser> {
    let driver = match DRIVER.get_or_init(start_driver) {
        Ok(driver) => driver,
        Err(why) => {
            assert!(!required(), "RATSFLOW_REQUIRE_BROWSER is set, but: {why}");
            eprintln!("browser test skipped: {why}");
            return None;
        }
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let profile = tempfile::tempdir().expect("profile folder");
    let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|s| s.to_string()).collect();
    args.push(format!("--user-data-dir={}", profile.path().display()));
    let capabilities = json!({
        "browserName": "chrome",
        "goog:chromeOptions": { "binary": driver.chromium, "args": args },
    });
    let Value::Object(capabilities) = capabilities else {
        unreachable!()
    };
    let client = runtime
        .block_on(
            ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(capabilities)
                .connect(&driver.url),
        )
        .unwrap_or_else(|e| panic!("no browser session: {e}"));
    Some(Browser {
        runtime,
        client: Some(client),
        _profile: profile,
    })
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            let _ = self.runtime.block_on(client.close());
        }
    }
}

impl Browser {
    fn client(&self) -> &Client {
        self.client.as_ref().expect("session open")
    }

    fn run<T>(&self, future: impl std::future::Future<Output = T>) -> T {
        self.runtime.block_on(future)
    }

    pub fn goto(&self, url: &str) {
        self.run(self.client().goto(url))
            .unwrap_or_else(|e| panic!("goto {url}: {e}"));
    }

    pub fn url(&self) -> String {
        self.run(self.client().current_url())
            .map(|u| u.to_string())
            .unwrap_or_default()
    }

    /// The page's visible text.
    pub fn text(&self) -> String {
        self.text_of("body")
    }

    pub fn text_of(&self, css: &str) -> String {
        self.run(async {
            let element = self.client().find(Locator::Css(css)).await?;
            element.text().await
        })
        .unwrap_or_else(|e| panic!("text of {css}: {e}"))
    }

    pub fn source(&self) -> String {
        self.run(self.client().source()).unwrap_or_default()
    }

    /// Waits (up to 20 s) until the page's h1 reads `heading`.
    pub fn wait_for_heading(&self, heading: &str) {
        let start = Instant::now();
        loop {
            let found = self.run(async {
                let h1 = self.client().find(Locator::Css("h1")).await.ok()?;
                h1.text().await.ok()
            });
            if found.as_deref() == Some(heading) {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "heading {heading:?} not shown; found {found:?} on {}:\n{}",
                self.url(),
                self.text()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Opens `url` again and again (up to 20 s) until its h1 reads `heading`: for a page that
    /// shows the service's state after a change its watcher is still taking in.
    pub fn goto_until_heading(&self, url: &str, heading: &str) {
        let start = Instant::now();
        loop {
            self.goto(url);
            let found = self.run(async {
                let h1 = self.client().find(Locator::Css("h1")).await.ok()?;
                h1.text().await.ok()
            });
            if found.as_deref() == Some(heading) {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "heading {heading:?} not shown; found {found:?} on {url}:\n{}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Clicks the button whose text is exactly `label`.
    pub fn click_button(&self, label: &str) {
        let xpath = format!("//button[normalize-space()='{label}']");
        self.run(async {
            let button = self.client().find(Locator::XPath(&xpath)).await?;
            button.click().await
        })
        .unwrap_or_else(|e| panic!("button {label}: {e}"));
    }

    /// Types into the field whose label reads `label` (found through the label, as a person
    /// would).
    pub fn fill_labelled(&self, label: &str, text: &str) {
        let xpath = format!("//label[starts-with(normalize-space(), '{label}')]");
        self.run(async {
            let label = self.client().find(Locator::XPath(&xpath)).await?;
            let id = label.attr("for").await?.unwrap_or_default();
            let field = self.client().find(Locator::Id(&id)).await?;
            field.clear().await?;
            field.send_keys(text).await
        })
        .unwrap_or_else(|e| panic!("field {label}: {e}"));
    }

    /// Chooses the option reading `option` in the list whose label reads `label`.
    pub fn select_labelled(&self, label: &str, option: &str) {
        let xpath = format!("//label[normalize-space()='{label}']");
        self.run(async {
            let label = self.client().find(Locator::XPath(&xpath)).await?;
            let id = label.attr("for").await?.unwrap_or_default();
            let select = self.client().find(Locator::Id(&id)).await?;
            select.select_by_label(option).await
        })
        .unwrap_or_else(|e| panic!("list {label}: {e}"));
    }

    /// The cookie `name` as the browser keeps it: (value, Secure, HttpOnly, SameSite).
    pub fn cookie(&self, name: &str) -> Option<(String, bool, bool, String)> {
        let cookie = self.run(self.client().get_named_cookie(name)).ok()?;
        Some((
            cookie.value().to_string(),
            cookie.secure().unwrap_or(false),
            cookie.http_only().unwrap_or(false),
            cookie
                .same_site()
                .map(|s| s.to_string())
                .unwrap_or_default(),
        ))
    }

    /// Runs `script` in the page (as a function body) and returns its result.
    pub fn execute(&self, script: &str) -> Value {
        self.run(self.client().execute(script, vec![]))
            .unwrap_or_else(|e| panic!("script failed: {e}"))
    }

    /// Presses and releases one key, as a keyboard would.
    pub fn press(&self, key: Key) {
        self.press_char(key.into());
    }

    /// Types one character by key actions.
    pub fn press_char(&self, value: char) {
        let actions = KeyActions::new("tastatur".to_string())
            .then(KeyAction::Down { value })
            .then(KeyAction::Up { value });
        self.run(self.client().perform_actions(actions))
            .unwrap_or_else(|e| panic!("key {value:?}: {e}"));
    }

    /// Resizes the window (CSS pixels).
    pub fn resize(&self, width: u32, height: u32) {
        self.run(self.client().set_window_size(width, height))
            .unwrap_or_else(|e| panic!("resize: {e}"));
    }

    /// Saves a screenshot of the viewport to `docs/screenshots/<name>.png`, only when
    /// `RATSFLOW_SCREENSHOTS` is set (the committed pictures stay put otherwise).
    pub fn screenshot_for_docs(&self, name: &str) {
        if std::env::var_os(SCREENSHOTS_ENV).is_none() {
            return;
        }
        let png = self
            .run(self.client().screenshot())
            .unwrap_or_else(|e| panic!("screenshot: {e}"));
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots");
        std::fs::create_dir_all(&dir).expect("docs/screenshots");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("screenshot written");
    }

    /// The element that has the keyboard focus: (tag, id, text, value, outline style, outline
    /// width, whether it is inside the viewport).
    pub fn focused(&self) -> Focus {
        let value = self.execute(
            "const e = document.activeElement;
             const s = getComputedStyle(e);
             const r = e.getBoundingClientRect();
             return { tag: e.tagName.toLowerCase(), id: e.id || '',
                      value: typeof e.value === 'string' ? e.value : '',
                      text: (e.innerText || e.value || '').trim(),
                      outline_style: s.outlineStyle, outline_width: parseFloat(s.outlineWidth) || 0,
                      visible: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0
                               && r.left < innerWidth && r.top < innerHeight };",
        );
        serde_json::from_value(value).expect("focus description")
    }

    /// Presses Tab until the focus is on an element `wanted` accepts, at most `limit` times,
    /// asserting on every stop on the way that the focus is visible ([`Focus::is_visible`]);
    /// returns the stops, the wanted one last.
    pub fn tab_to(&self, what: &str, limit: usize, wanted: impl Fn(&Focus) -> bool) -> Vec<Focus> {
        let mut stops = Vec::new();
        loop {
            assert!(
                stops.len() < limit,
                "{what} not reached by Tab on {}: {stops:#?}",
                self.url()
            );
            self.press(Key::Tab);
            let focus = self.focused();
            assert!(focus.is_visible(), "focus not visible: {focus:?}");
            let done = wanted(&focus);
            stops.push(focus);
            if done {
                return stops;
            }
        }
    }

    /// Checks what every page must have; returns the problems found (empty when fine).
    pub fn accessibility_problems(&self) -> Vec<String> {
        let mut problems: Vec<String> = serde_json::from_value(self.execute(BASICS))
            .unwrap_or_else(|e| vec![format!("check failed: {e}")]);
        problems.extend(self.axe_violations());
        problems
    }

    /// Asserts [`Browser::accessibility_problems`] is empty.
    pub fn assert_accessible(&self) {
        let problems = self.accessibility_problems();
        assert!(
            problems.is_empty(),
            "accessibility problems on {}:\n{}",
            self.url(),
            problems.join("\n")
        );
    }

    /// axe-core's WCAG 2.1 A/AA violations, when `axe.min.js` is installed (see
    /// [`axe_script`]); none otherwise.
    fn axe_violations(&self) -> Vec<String> {
        let Some(source) = axe_script() else {
            return Vec::new();
        };
        self.run(self.client().execute(
            &format!("{source}\n;window.__axe = axe; return true;"),
            vec![],
        ))
        .unwrap_or_else(|e| panic!("axe-core not injected: {e}"));
        let result = self
            .run(self.client().execute_async(
                "const done = arguments[arguments.length - 1];
                 window.__axe.run(document, { runOnly: { type: 'tag',
                     values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
                   .then(r => done(r.violations.map(v => 'axe ' + v.id + ': ' + v.help + ' — '
                       + v.nodes.map(n => n.target.join(' ')).join(', '))))
                   .catch(e => done(['axe failed: ' + e]));",
                vec![],
            ))
            .unwrap_or_else(|e| panic!("axe-core did not run: {e}"));
        serde_json::from_value(result).unwrap_or_else(|e| vec![format!("axe result: {e}")])
    }
}

/// Where the keyboard focus is.
#[derive(Debug, serde::Deserialize)]
pub struct Focus {
    pub tag: String,
    #[serde(default)]
    pub id: String,
    /// The value of a field (empty for other elements).
    #[serde(default)]
    pub value: String,
    pub text: String,
    pub outline_style: String,
    pub outline_width: f64,
    pub visible: bool,
}

impl Focus {
    /// A focus ring a sighted keyboard user can see.
    pub fn is_visible(&self) -> bool {
        self.visible && self.outline_style != "none" && self.outline_width >= 2.0
    }
}

/// The basics: lang="de", one h1, a label for every field, no positive tabindex, alt on every
/// image, a name on every button and link, a title.
const BASICS: &str = r#"
const problems = [];
if (document.documentElement.getAttribute('lang') !== 'de')
  problems.push('html lang is ' + document.documentElement.getAttribute('lang'));
if (!document.title.trim()) problems.push('no title');
const h1 = document.querySelectorAll('h1').length;
if (h1 !== 1) problems.push(h1 + ' h1 elements');
for (const el of document.querySelectorAll('input, textarea, select')) {
  if (el.type === 'hidden') continue;
  const byFor = el.id && document.querySelector('label[for="' + CSS.escape(el.id) + '"]');
  if (!byFor && !el.closest('label') && !el.getAttribute('aria-label')
      && !el.getAttribute('aria-labelledby'))
    problems.push('field without label: ' + el.outerHTML);
}
for (const label of document.querySelectorAll('label[for]'))
  if (!document.getElementById(label.htmlFor))
    problems.push('label for a missing field: ' + label.outerHTML);
for (const el of document.querySelectorAll('[tabindex]'))
  if (parseInt(el.getAttribute('tabindex'), 10) > 0)
    problems.push('positive tabindex: ' + el.outerHTML);
for (const img of document.querySelectorAll('img'))
  if (!img.hasAttribute('alt')) problems.push('image without alt: ' + img.outerHTML);
for (const el of document.querySelectorAll('button, a[href]'))
  if (!(el.innerText || el.getAttribute('aria-label') || '').trim())
    problems.push('control without a name: ' + el.outerHTML);
const ids = {};
for (const el of document.querySelectorAll('[id]')) {
  if (ids[el.id]) problems.push('duplicate id ' + el.id);
  ids[el.id] = true;
}
return problems;
"#;

/// axe-core's `axe.min.js`: `RATSFLOW_AXE_JS`, else `target/axe/node_modules/axe-core/`
/// (where `.ci/browser` installs it from npm). Required when the browser is.
pub fn axe_script() -> Option<&'static str> {
    static AXE: OnceLock<Option<String>> = OnceLock::new();
    AXE.get_or_init(|| {
        let path = std::env::var_os("RATSFLOW_AXE_JS")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("target/axe/node_modules/axe-core/axe.min.js")
            });
        match std::fs::read_to_string(&path) {
            Ok(source) => Some(source),
            Err(e) => {
                assert!(
                    !required(),
                    "RATSFLOW_REQUIRE_BROWSER is set, but axe-core is missing at {}: {e}",
                    path.display()
                );
                eprintln!(
                    "axe-core not found at {} ({e}): only the built-in accessibility checks run",
                    path.display()
                );
                None
            }
        }
    })
    .as_deref()
}
