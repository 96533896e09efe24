#!/usr/bin/env python3
"""Load benchmark of `ratsflow serve`: 10,000 papers, 200 concurrent clients for 30 s.

What it does, all on 127.0.0.1 and bounded in time:
1. builds the release binary (unless --binary), makes a 10,000-paper project with
   bench/scale.py's generator as bench/board.py extends it (an office, `serve:` settings with the
   key outside the project), and runs
   `ratsflow run` once, which mails every request to sign with its personal link;
2. starts `ratsflow serve` on a free port and opens every mailed link once, as a browser would,
   to get each form's nonce and CSRF tag;
3. logs the office in by its mailed link (bench/board.py's login) and drives the service with
   wrk for --seconds: --board-clients connections GET board and paper pages with the session
   cookie, --get-clients connections GET sign pages, and --post-clients connections POST sign
   forms, each form a different signatory/paper, so every one must land exactly once;
4. prints p50/p90/p99 latency per kind, errors, the journal check (every sign action via link
   exactly once, each answered one present) and the service's peak RSS (VmHWM).

Load tool: wrk (Debian package, installed with apt-get when missing). It is a small C program
that keeps 200 connections busy without becoming the bottleneck on 2 cores, and its Lua hook
gives every POST its own path and form body; oha can vary the URL but not the body per request
and would have to be compiled with cargo first.

Goals (issue 10 §6): pages p99 <= 50 ms, 0 errors, peak RSS <= 150 MB.
--calendar-clients N adds N connections fetching the calendar feeds (`/kalender/<token>.ics`;
the office's feed of 10,000 papers is about 5 MB), to see what polling calendars cost in memory.
Usage: python3 bench/serve_load.py [--papers N] [--seconds S] [--binary PATH]
Not part of CI (too long).
"""
import argparse
import base64
import collections
import concurrent.futures
import email
import glob
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from email import policy

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import board  # noqa: E402  (bench/board.py: the scale project with an office, and its login)

NOW = "2026-11-21T09:00:00+01:00"
LINK_PREFIX = "Vorlage ansehen und zeichnen: "
PUBLIC = "https://rats.example"  # what bench/board.py's project settings name


def need_wrk():
    if shutil.which("wrk"):
        return
    print("installing wrk (apt-get) …", flush=True)
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True,
                   env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"),
                   stdout=subprocess.DEVNULL)


def links(project):
    """(path, paper, person) of every mailed link."""
    found = []
    for name in glob.glob(os.path.join(project, "out", "mail", "*.eml")):
        with open(name, "rb") as f:
            message = email.message_from_binary_file(f, policy=policy.default)
        body = message.get_body(("plain",))
        if body is None:
            continue
        for line in body.get_content().splitlines():
            if line.startswith(LINK_PREFIX):
                url = line[len(LINK_PREFIX):].strip()
                path = url[len(PUBLIC):]
                token = path.rsplit("/", 1)[1]
                payload = token.split(".")[0]
                fields = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode().split("\n")
                found.append((path, fields[1], fields[3]))
    return found


class Service:
    """`ratsflow serve` as a child; its log drained by a thread."""

    def __init__(self, binary, project):
        self.process = subprocess.Popen(
            [binary, "--project", project, "--now", NOW, "serve", "--listen", "127.0.0.1:0"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.log = []
        self.ready = threading.Event()
        self.addr = None
        threading.Thread(target=self._drain, daemon=True).start()
        if not self.ready.wait(600):
            sys.exit("serve did not get ready:\n" + "\n".join(self.log[-20:]))

    def _drain(self):
        for line in self.process.stderr:
            line = line.rstrip("\n")
            self.log.append(line)
            if line.startswith("Webdienst: http://"):
                self.addr = line[len("Webdienst: http://"):].rstrip("/")
            if line.startswith("bereit:"):
                self.ready.set()

    def peak_rss_mb(self):
        with open(f"/proc/{self.process.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def cpu_seconds(self):
        """(user, system) CPU seconds the service used so far, all its threads."""
        with open(f"/proc/{self.process.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        tick = os.sysconf("SC_CLK_TCK")
        return int(fields[11]) / tick, int(fields[12]) / tick

    def rss_mb(self):
        with open(f"/proc/{self.process.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(120)


def forms(addr, paths, workers=8):
    """Opens each sign page once; returns "PATH/zeichnen nonce=…&csrf=…" lines."""
    host, port = addr.rsplit(":", 1)
    local = threading.local()
    field = re.compile(r'name="(nonce|csrf)" value="([^"]+)"')

    def fetch(path):
        if not hasattr(local, "conn"):
            local.conn = http.client.HTTPConnection(host, int(port), timeout=60)
        local.conn.request("GET", path)
        answer = local.conn.getresponse()
        html = answer.read().decode()
        values = dict(field.findall(html))
        if answer.status != 200 or "nonce" not in values:
            return None
        return f"{path}/zeichnen nonce={values['nonce']}&csrf={values['csrf']}"

    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        return [line for line in pool.map(fetch, paths) if line]


def wrk(addr, mode, lines_file, clients, seconds, headers=()):
    script = os.path.join(HERE, "serve_load.lua")
    extra = [arg for header in headers for arg in ("-H", header)]
    return subprocess.Popen(
        ["wrk", "-t1", f"-c{clients}", f"-d{seconds}s", "--timeout", "10s", "-s", script, *extra,
         f"http://{addr}/", "--", mode, lines_file, "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def parse(output):
    result = {}
    for line in output.splitlines():
        if line.startswith(("RESULT ", "LATENCY ")):
            for pair in line.split()[1:]:
                key, value = pair.split("=")
                result[key] = float(value)
    return result


def journal_signatures(project):
    """(paper, person) -> number of `signed` entries recorded via link."""
    counts = collections.Counter()
    for name in glob.glob(os.path.join(project, "state", "*.jsonl")):
        paper = os.path.basename(name)[:-len(".jsonl")]
        with open(name) as f:
            for line in f:
                if not line.strip():
                    continue
                entry = json.loads(line)
                if entry.get("event") == "signed" and entry.get("via") == "link":
                    counts[(paper, entry.get("who"))] += 1
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=10000)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--board-clients", type=int, default=50, help="0: no board load")
    parser.add_argument("--get-clients", type=int, default=100, help="0: no sign page load")
    parser.add_argument("--post-clients", type=int, default=50, help="0: no sign POSTs")
    parser.add_argument("--calendar-clients", type=int, default=0,
                        help="connections that GET the calendar feeds (out/ics/, the office's "
                             "and bodies' feeds are megabytes); 0 (default): none")
    parser.add_argument("--binary")
    parser.add_argument("--serve-binary", help="runs `serve` with this instead of --binary "
                        "(a wrapper script for a profiler such as heaptrack)")
    parser.add_argument("--service-log", metavar="FILE",
                        help="write the service's whole log (stderr) to FILE afterwards")
    parser.add_argument("--keep", action="store_true", help="keep the project folder")
    parser.add_argument("--reuse", metavar="DIR",
                        help="keep the project as it is after the first run in DIR and start from "
                             "a copy of it next time (skips the minutes of the first run; same "
                             "--papers only)")
    args = parser.parse_args()
    need_wrk()
    binary = args.binary
    if not binary:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        binary = os.path.join(ROOT, "target", "release", "ratsflow")

    work = tempfile.mkdtemp(prefix="ratsflow-load-")
    project = os.path.join(work, "project")
    try:
        cached = args.reuse and os.path.join(args.reuse, f"project-{args.papers}")
        if cached and os.path.isdir(cached):
            # The settings name the link key by absolute path (bench/board.py): point them at
            # this copy's key, a copy of the one the cached mails were signed with.
            shutil.copytree(cached, project, symlinks=True)
            shutil.copy2(cached + "-links.key", project + "-links.key")
            settings = os.path.join(project, "ratsflow.yaml")
            text = open(settings, encoding="utf-8").read()
            old = open(cached + ".origin", encoding="utf-8").read()
            open(settings, "w", encoding="utf-8").write(text.replace(old, project))
            print(f"project: {args.papers} papers, copied from {cached}")
        else:
            board.make_project(project, args.papers)
            started = time.perf_counter()
            subprocess.run([binary, "--project", project, "--now", NOW, "--quiet", "run"], check=True)
            print(f"project: {args.papers} papers; first run (documents, mails) {time.perf_counter() - started:.1f} s")
            if cached:
                os.makedirs(args.reuse, exist_ok=True)
                shutil.copy2(project + "-links.key", cached + "-links.key")
                with open(cached + ".origin", "w", encoding="utf-8") as f:
                    f.write(project)
                shutil.copytree(project, cached + ".part", symlinks=True)
                os.replace(cached + ".part", cached)
        mailed = links(project)
        print(f"links mailed: {len(mailed)}")

        started = time.perf_counter()
        service = Service(args.serve_binary or binary, project)
        print(f"serve ready in {time.perf_counter() - started:.1f} s on {service.addr}; RSS {service.rss_mb():.0f} MB")
        started = time.perf_counter()
        posts = forms(service.addr, [path for path, _, _ in mailed])
        print(f"opened {len(posts)} sign pages for their forms in {time.perf_counter() - started:.1f} s; "
              f"RSS {service.rss_mb():.0f} MB")
        get_file = os.path.join(work, "get.txt")
        post_file = os.path.join(work, "post.txt")
        with open(get_file, "w") as f:
            f.write("\n".join(path for path, _, _ in mailed) + "\n")
        with open(post_file, "w") as f:
            f.write("\n".join(posts) + "\n")
        cookies = board.login(service.addr, project)
        cookie = "Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items())
        board_file = os.path.join(work, "board.txt")
        with open(board_file, "w") as f:
            papers = sorted({paper for _, paper, _ in mailed})
            f.write("/uebersicht\n/uebersicht?stand=offen&sortierung=frist\n"
                    "/uebersicht?seite=7\n/uebersicht?stand=ueberfaellig\n")
            f.write("".join(f"/drucksache/{paper}\n" for paper in papers[::97]))
        calendar_file = os.path.join(work, "calendar.txt")
        feeds = sorted(glob.glob(os.path.join(project, "out", "ics", "*.ics")))
        with open(calendar_file, "w") as f:
            f.write("".join(f"/kalender/{os.path.basename(feed)}\n" for feed in feeds))
        log_before = len(service.log)

        print(f"load: {args.board_clients} clients GET board and paper pages (logged in), "
              f"{args.get_clients} clients GET sign pages, {args.post_clients} clients POST "
              f"sign forms, {args.seconds} s …", flush=True)
        timeline = []
        sampling = threading.Event()

        def sample():
            while not sampling.wait(5):
                timeline.append(service.rss_mb())

        threading.Thread(target=sample, daemon=True).start()
        cpu_before = service.cpu_seconds()
        boards = args.board_clients and wrk(service.addr, "get", board_file, args.board_clients,
                                            args.seconds, [cookie])
        idle = "RESULT sent=0 ok=0 again=0 other=0 exhausted_threads=0 completed=0 connect=0 " \
               "read=0 write=0 status=0 timeout=0 seconds=1\nLATENCY p50=0 p90=0 p99=0 max=0\n"
        gets = args.get_clients and wrk(service.addr, "get", get_file, args.get_clients, args.seconds)
        signs = args.post_clients and wrk(service.addr, "post", post_file, args.post_clients, args.seconds)
        calendars = args.calendar_clients and wrk(service.addr, "get", calendar_file,
                                                  args.calendar_clients, args.seconds)
        get_out, get_err = gets.communicate() if gets else (idle, "")
        post_out, post_err = signs.communicate() if signs else (idle, "")
        board_out, board_err = boards.communicate() if boards else (idle, "")
        calendar_out, calendar_err = calendars.communicate() if calendars else (idle, "")
        get, post, pages = parse(get_out), parse(post_out), parse(board_out)
        calendar = parse(calendar_out)
        if not get or not post or not pages or not calendar:
            sys.exit(f"wrk failed:\n{get_out}{get_err}\n{post_out}{post_err}\n{board_out}{board_err}"
                     f"\n{calendar_out}{calendar_err}")
        time.sleep(3)  # let the watcher's passes after the signatures finish
        sampling.set()
        cpu_after = service.cpu_seconds()
        peak = service.peak_rss_mb()
        print("RSS every 5 s during the load (MB): " + " ".join(f"{m:.0f}" for m in timeline))
        code = service.stop()
        problems = [l for l in service.log[log_before:] if l.startswith(("Fehler", "Warnung"))]

        counts = journal_signatures(project)
        twice = {k: v for k, v in counts.items() if v > 1}
        recorded = sum(counts.values())
        asked = {(paper, person) for _, paper, person in mailed}
        stray = [k for k in counts if k not in asked]

        def errors(r):
            return int(r["connect"] + r["read"] + r["write"] + r["timeout"] + r["other"])

        print()
        print("kind          requests  req/s   p50 ms  p90 ms  p99 ms  max ms  errors")
        kinds = [("GET board", pages), ("GET sign page", get), ("POST sign", post)]
        if args.calendar_clients:
            kinds.append(("GET calendar", calendar))
        for name, r in kinds:
            print(f"{name:<13} {int(r['completed']):>8}  {r['completed'] / r['seconds']:>5.0f}  "
                  f"{r['p50']:>7.2f} {r['p90']:>7.2f} {r['p99']:>7.2f} {r['max']:>7.1f}  {errors(r)}")
        print()
        print(f"sign POSTs: {int(post['sent'])} sent, {int(post['ok'])} answered „Gezeichnet“, "
              f"{int(post['again'])} „Bereits gezeichnet“, {int(post['other'])} other; "
              f"threads out of forms: {int(post['exhausted_threads'])}")
        print(f"journal: {recorded} signatures via link, {len(twice)} recorded twice, "
              f"{len(stray)} not asked for")
        landed = post["ok"] <= recorded <= post["sent"]
        user, system = (after - before for after, before in zip(cpu_after, cpu_before))
        served = pages["completed"] + get["completed"] + post["completed"] + calendar["completed"]
        # CPU time is what other processes on the machine disturb least: compare it between
        # binaries when the latencies swing with the machine's load.
        print(f"service CPU during the load: {user + system:.1f} s (user {user:.1f}, system "
              f"{system:.1f}), {1000 * (user + system) / max(served, 1):.2f} ms per request")
        print(f"service: peak RSS (VmHWM) {peak:.0f} MB; exit code {code}; "
              f"{len(problems)} error/warning lines in its log")
        for line in problems[:5]:
            print("  " + line)
        if args.service_log:
            with open(args.service_log, "w") as f:
                f.write("\n".join(service.log) + "\n")
        page_p99 = max(get["p99"], pages["p99"])
        page_ok = page_p99 <= 50
        no_errors = errors(get) + errors(post) + errors(pages) + errors(calendar) == 0
        once = not twice and not stray and landed and post["again"] == 0
        mem_ok = peak <= 150
        print()
        print(f"goal pages p99 <= 50 ms:   {'met' if page_ok else 'MISSED'} ({page_p99:.2f} ms)")
        print(f"goal 0 errors:             {'met' if no_errors else 'MISSED'}")
        print(f"every sign exactly once:   {'met' if once else 'MISSED'} "
              f"({int(post['ok'])} answered <= {recorded} recorded <= {int(post['sent'])} sent)")
        print(f"goal peak RSS <= 150 MB:   {'met' if mem_ok else 'MISSED'} ({peak:.0f} MB)")
        return 0 if page_ok and no_errors and once and mem_ok and code == 0 else 1
    finally:
        if args.keep:
            print(f"project kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
