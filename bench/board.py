#!/usr/bin/env python3
"""Board benchmark: `ratsflow serve` on N papers (default 10,000), the office logged in by its
mailed link, then timed GETs of the board (first page, a filter, the deadline sort, a late
page) and of one paper page, from C concurrent clients on 127.0.0.1 for a bounded time.

Prints p50/p99 latency per page, errors, the time of the very first board request (which
builds the snapshot) and the service's resident memory. Goal (issue 10): p99 <= 50 ms for
pages, 0 errors, <= 150 MB. Timing is printed, never asserted.

Usage: python3 bench/board.py [--papers N] [--clients C] [--seconds S] [--binary PATH]
Without --binary it builds and uses the release binary.
"""
import argparse
import email
import glob
import http.client
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from email import policy

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scale  # noqa: E402  (the 10,000-paper project generator)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NOW = "2026-11-21T09:00:00+01:00"
OFFICE = "sitzungsdienst@kreis.example"


def make_project(directory, papers):
    scale.make_project(directory, papers)
    path = os.path.join(directory, "workflows", "directory.yaml")
    text = open(path, encoding="utf-8").read()
    text = text.replace(
        "people:\n",
        "people:\n  sitzungsdienst: { name: Sitzungsdienst, email: " + OFFICE + " }\n",
    )
    text = text.replace("    kind: ausschuss\n", "    kind: ausschuss\n    office: [sitzungsdienst]\n")
    open(path, "w", encoding="utf-8").write(text)
    with open(os.path.join(directory, "ratsflow.yaml"), "a", encoding="utf-8") as f:
        f.write(f"serve:\n  public_url: https://rats.example\n  key_file: {directory}-links.key\n")


class Client:
    def __init__(self, addr, cookies=None):
        self.host, self.port = addr.split(":")
        self.cookies = dict(cookies or {})
        self.conn = http.client.HTTPConnection(self.host, int(self.port), timeout=30)

    def request(self, method, path, form=None):
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                val = rest.split(";", 1)[0]
                if "Max-Age=0" in value or not val:
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = val
        return response.status, response.getheader("Location"), data.decode("utf-8", "replace")


def field(html, name):
    match = re.search(r'name="' + name + r'" value="([^"]*)"', html)
    return match.group(1) if match else ""


def login(addr, project):
    client = Client(addr)
    _, _, page = client.request("GET", "/anmelden")
    status, _, _ = client.request("POST", "/anmelden", {"email": OFFICE, "csrf": field(page, "csrf"), "weiter": "/uebersicht"})
    assert status == 200, status
    link = None
    for _ in range(400):
        for path in glob.glob(os.path.join(project, "out", "mail", "anmeldung-*.eml")):
            message = email.message_from_binary_file(open(path, "rb"), policy=policy.default)
            text = message.get_body(("plain",)).get_content()
            found = re.search(r"https://rats\.example(/anmelden/\S+)", text)
            if found:
                link = found.group(1)
        if link:
            break
        time.sleep(0.05)
    if not link:
        sys.exit("no login link was mailed")
    _, _, page = client.request("GET", link)
    status, _, _ = client.request("POST", link, {"csrf": field(page, "csrf")})
    assert status == 303, status
    return client.cookies


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def rss_mb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=10000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--binary")
    args = parser.parse_args()
    binary = args.binary
    if not binary:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        binary = os.path.join(ROOT, "target", "release", "ratsflow")
    tmp = tempfile.mkdtemp()
    project = os.path.join(tmp, "project")
    server = None
    try:
        make_project(project, args.papers)
        log = open(os.path.join(tmp, "serve.log"), "w+")
        started = time.perf_counter()
        server = subprocess.Popen(
            [binary, "--project", project, "--now", NOW, "serve", "--listen", "127.0.0.1:0"],
            stderr=log,
        )
        addr = None
        while time.perf_counter() - started < 3600:
            text = open(log.name).read()
            match = re.search(r"Webdienst: http://([0-9.:]+)/", text)
            if match and "bereit:" in text:
                addr = match.group(1)
                break
            if server.poll() is not None:
                sys.exit("serve ended:\n" + text[-2000:])
            time.sleep(0.2)
        if addr is None:
            sys.exit("serve did not get ready")
        ready = time.perf_counter() - started
        cookies = login(addr, project)
        client = Client(addr, cookies)
        start = time.perf_counter()
        status, _, _ = client.request("GET", "/uebersicht")
        first = time.perf_counter() - start
        assert status == 200, status
        pages = [
            "/uebersicht",
            "/uebersicht?gremium=kreistag&stand=offen",
            "/uebersicht?sortierung=frist",
            f"/uebersicht?seite={max(1, args.papers // 200)}",
            "/drucksache/2026-00042",
        ]
        times = {p: [] for p in pages}
        errors = [0]
        lock = threading.Lock()
        stop_at = time.perf_counter() + args.seconds

        def worker(n):
            own = Client(addr, cookies)
            i = n
            while time.perf_counter() < stop_at:
                path = pages[i % len(pages)]
                i += 1
                t0 = time.perf_counter()
                try:
                    status, _, _ = own.request("GET", path)
                except Exception:
                    status = 0
                    own = Client(addr, cookies)
                elapsed = time.perf_counter() - t0
                with lock:
                    if status != 200:
                        errors[0] += 1
                    else:
                        times[path].append(elapsed)

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(args.clients)]
        for t in threads:
            t.start()
        peak = 0.0
        while any(t.is_alive() for t in threads):
            peak = max(peak, rss_mb(server.pid))
            time.sleep(0.2)
        total = sum(len(v) for v in times.values())
        print(f"papers {args.papers}, clients {args.clients}, {args.seconds:.0f} s, binary {os.path.basename(os.path.dirname(binary))}")
        print(f"serve ready (first pass) after {ready:.1f} s; first board request (builds the snapshot) {first * 1000:.0f} ms")
        print(f"{'page':<45} {'requests':>8} {'p50_ms':>8} {'p99_ms':>8}")
        for path in pages:
            v = times[path]
            if v:
                print(f"{path:<45} {len(v):>8} {percentile(v, 50) * 1000:>8.1f} {percentile(v, 99) * 1000:>8.1f}")
        print(f"requests {total} ({total / args.seconds:.0f}/s), errors {errors[0]}")
        print(f"service memory (VmRSS peak during load): {peak:.0f} MB")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=60)
        shutil.rmtree(tmp, ignore_errors=True)
        key = project + "-links.key"
        if os.path.exists(key):
            os.remove(key)
    return 0


if __name__ == "__main__":
    sys.exit(main())
