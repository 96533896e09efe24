#!/usr/bin/env python3
"""The motion form of `ratsflow serve` as a Fraktion uses it: log in by the mailed link, open the
form, preview, save; then `ratsflow check` must be clean and the watcher must ask the Fraktion's
signatory to sign.

Two modes:
  --smoke           (CI) the committed example as it is, one motion, checks only.
  default           (benchmark) the example plus --papers generated Vorlagen (default 10,000);
                    times --rounds previews and saves (each save a new motion) and prints
                    p50/p99/max latency, then checks that every save left exactly one file.

Usage: python3 bench/draft.py [--smoke] [--papers N] [--rounds N] [--binary PATH]
Builds the binary (release for the benchmark, debug for --smoke) when --binary is not given.
Talks to 127.0.0.1 only; stops the service with SIGTERM.
"""
import argparse
import glob
import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from email import policy
from email.parser import BytesParser

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PUBLIC = "https://rats.example"
NOW = "2026-12-01T09:00:00+01:00"
FRAKTION = "fraktion@gruene-kreistag-gg.example"


def build(release):
    args = ["cargo", "build", "--quiet"] + (["--release"] if release else [])
    subprocess.run(args, cwd=ROOT, check=True)
    return os.path.join(ROOT, "target", "release" if release else "debug", "ratsflow")


def make_project(work, papers):
    project = os.path.join(work, "projekt")
    os.makedirs(project)
    for name in ["ratsflow.yaml", "workflows", "papers", "templates", "state", "anlagen"]:
        source = os.path.join(ROOT, name)
        if os.path.isdir(source):
            shutil.copytree(source, os.path.join(project, name))
        else:
            shutil.copy(source, os.path.join(project, name))
    with open(os.path.join(project, "ratsflow.yaml"), "a", encoding="utf-8") as f:
        f.write(f"\nserve:\n  public_url: {PUBLIC}\n  key_file: {work}/links.key\n")
    base = open(os.path.join(project, "papers", "2026-017.yaml"), encoding="utf-8").read()
    for i in range(papers):
        text = base.replace('reference: "017/26"', f'reference: "V-{i:05}/26"')
        text = text.replace("title: \"Rahmenkonzept", f"title: \"Nr. {i}: Rahmenkonzept")
        with open(os.path.join(project, "papers", f"2026-v{i:05}.yaml"), "w", encoding="utf-8") as f:
            f.write(text)
    return project


class Browser:
    """Keeps the cookies a browser keeps for 127.0.0.1 (Secure ones too) and sends them back."""

    def __init__(self, addr):
        self.host, port = addr.rsplit(":", 1)
        self.port = int(port)
        self.cookies = {}

    def send(self, method, path, fields=None):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
        headers = {"X-Forwarded-For": "192.0.2.50"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                first = value.split(";", 1)[0]
                key, _, val = first.partition("=")
                if "Max-Age=0" in value or not val:
                    self.cookies.pop(key.strip(), None)
                else:
                    self.cookies[key.strip()] = val.strip()
        connection.close()
        return response.status, dict((k.lower(), v) for k, v in response.getheaders()), data.decode("utf-8", "replace")


def field(html, name):
    match = re.search(f'name="{re.escape(name)}" value="([^"]*)"', html)
    if not match:
        sys.exit(f"no field {name} in page:\n{html[:2000]}")
    return match.group(1)


def mails(project):
    for path in sorted(glob.glob(os.path.join(project, "out", "mail", "*.eml"))):
        with open(path, "rb") as f:
            message = BytesParser(policy=policy.default).parse(f)
        body = message.get_body(("plain",))
        yield message, (body.get_content() if body else "")


def login_link(project, email, wait=30):
    start = time.time()
    while time.time() - start < wait:
        for message, body in mails(project):
            if message["subject"] == "Anmeldung bei ratsflow" and email in str(message["to"]):
                for line in body.splitlines():
                    at = line.find(PUBLIC + "/anmelden/")
                    if at >= 0:
                        return line[at + len(PUBLIC):].strip()
        time.sleep(0.1)
    sys.exit(f"no login link for {email}")


def login(browser, project, email):
    status, _, html = browser.send("GET", "/anmelden")
    assert status == 200, html
    status, _, html = browser.send(
        "POST", "/anmelden", {"email": email, "csrf": field(html, "csrf"), "weiter": "/uebersicht"})
    assert status == 200, html
    path = login_link(project, email)
    status, _, html = browser.send("GET", path)
    assert status == 200, html
    status, _, html = browser.send("POST", path, {"csrf": field(html, "csrf")})
    assert status == 303, html


def form_fields(page, title):
    return [
        ("zu", "2026-017"), ("art", "Ergänzungsantrag"), ("fraktion", "fraktion-gruene-gg"),
        ("titel", title), ("ziffer-1-art", "ersetzen"), ("ziffer-1-punkt", "2"),
        ("ziffer-1-text", "Der Kreisausschuss schließt die Vereinbarung bis zum 30.06.2027 ab."),
        ("ziffer-2-art", "antrag"), ("ziffer-2-text", "Die Verwaltung berichtet jährlich."),
        ("begruendung", "Befristete Stellen finden kaum Bewerberinnen."),
        ("entwurf", field(page, "entwurf")), ("csrf", field(page, "csrf")),
    ]


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--binary")
    args = parser.parse_args()
    papers = 0 if args.smoke else args.papers
    rounds = 1 if args.smoke else args.rounds
    binary = args.binary or build(release=not args.smoke)

    work = tempfile.mkdtemp(prefix="ratsflow-draft-")
    service = None
    try:
        project = make_project(work, papers)
        log = open(os.path.join(work, "serve.log"), "w+", encoding="utf-8")
        started = time.time()
        service = subprocess.Popen(
            [binary, "--project", project, "--now", NOW, "serve", "--listen", "127.0.0.1:0"],
            stdout=subprocess.DEVNULL, stderr=log)
        addr = None
        while time.time() - started < 900:
            log.seek(0)
            text = log.read()
            found = re.search(r"Webdienst: http://([0-9.:]+)", text)
            if found and re.search(r"^bereit:", text, re.M):
                addr = found.group(1)
                break
            if service.poll() is not None:
                sys.exit("serve ended:\n" + text)
            time.sleep(0.1)
        if addr is None:
            sys.exit("serve did not get ready")
        print(f"papers: {papers + 11}; serve ready after {time.time() - started:.1f} s")

        browser = Browser(addr)
        login(browser, project, FRAKTION)
        previews, saves = [], []
        for i in range(rounds):
            status, _, page = browser.send("GET", "/antrag/neu?zu=017/26")
            assert status == 200, page
            fields = form_fields(page, f"Sozialarbeit sichern ({i + 1})")
            t = time.perf_counter()
            status, _, html = browser.send("POST", "/antrag/vorschau", fields)
            previews.append(time.perf_counter() - t)
            assert status == 200 and "Vorschau des Dokuments" in html, html[:3000]
            t = time.perf_counter()
            status, headers, html = browser.send("POST", "/antrag/speichern", fields)
            saves.append(time.perf_counter() - t)
            assert status == 303, html[:3000]
            expected = f"/antrag/gespeichert/2026-a{i + 1:03}"
            assert headers.get("location") == expected, (headers.get("location"), expected)
            # A second click saves nothing new.
            status, headers, _ = browser.send("POST", "/antrag/speichern", fields)
            assert headers.get("location") == expected

        saved = sorted(glob.glob(os.path.join(project, "papers", "2026-a*.yaml")))
        assert len(saved) == rounds, saved
        for label, values in (("preview", previews), ("save", saves)):
            print(f"{label}: n={len(values)} p50={percentile(values, 50) * 1000:.0f} ms "
                  f"p99={percentile(values, 99) * 1000:.0f} ms max={max(values) * 1000:.0f} ms")
        print(f"files: {len(saved)} motions saved, one per form (second clicks saved nothing)")

        check = subprocess.run([binary, "--project", project, "--now", NOW, "check"],
                               capture_output=True, text=True)
        if check.returncode != 0:
            sys.exit("ratsflow check is not clean:\n" + check.stdout + check.stderr)
        print("ratsflow check: clean")

        start = time.time()
        asked = False
        while time.time() - start < 300 and not asked:
            asked = any("A 001/26" in body and "Vorlage ansehen und zeichnen" in body
                        and FRAKTION in str(m["to"]) for m, body in mails(project))
            time.sleep(0.2)
        if not asked:
            sys.exit("the Fraktion's signatory was not asked to sign A 001/26")
        print(f"request to sign A 001/26 mailed {time.time() - start:.1f} s after the last save")
    finally:
        if service is not None and service.poll() is None:
            service.send_signal(signal.SIGTERM)
            try:
                code = service.wait(timeout=60)
                if code != 0:
                    print(f"serve exited with {code}", file=sys.stderr)
            except subprocess.TimeoutExpired:
                service.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
