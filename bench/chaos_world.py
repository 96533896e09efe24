"""The world the chaos test (bench/chaos.py) acts in, and what it reads back from it.

Kept apart from the actors so that each file has one concern: here the project copy with its
papers in flight, the aiosmtpd peer that is stopped and started again, the hostile files, and
the readers of journals, outboxes and received messages that the invariants are computed from.
"""

import collections
import email.parser
import email.policy
import hashlib
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def complete_lines(path):
    """The complete lines of a regular file, or None (not there, not a regular file)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None
        chunks = []
        while True:
            chunk = os.read(descriptor, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(descriptor)
    data = b"".join(chunks)
    return data.split(b"\n")[:-1]


def write_file(path, data):
    with open(path, "wb") as out:
        out.write(data)


def remove(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def toggle_file(path, data):
    if os.path.exists(path):
        remove(path)
    else:
        write_file(path, data)


def make_fifo(path):
    try:
        os.mkfifo(path)
    except FileExistsError:
        pass


def remove_fifo(path):
    """Removes `path` only if it is a FIFO (never a journal someone wrote in its place)."""
    try:
        if stat.S_ISFIFO(os.lstat(path).st_mode):
            os.unlink(path)
    except FileNotFoundError:
        pass


class Server:
    """The aiosmtpd peer in plain mode on a fixed port, stopped and started again."""

    def __init__(self, port, folder, logs):
        self.port = port
        self.folder = folder
        self.logs = logs
        self.process = None
        self.starts = 0

    def up(self):
        self.starts += 1
        log_path = os.path.join(self.logs, f"smtp-{self.starts}.log")
        log = open(log_path, "wb")
        self.process = subprocess.Popen(
            [sys.executable, os.path.join(ROOT, "tests/peers/smtp_server.py"), "--plain",
             "--port", str(self.port), "--dir", self.folder, "--max-seconds", "600"],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        for _ in range(200):
            with open(log_path, "rb") as lines:
                if lines.read().startswith(b"ready "):
                    return
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        with open(log_path, "rb") as lines:
            sys.exit(f"the SMTP peer did not start:\n{lines.read().decode('utf-8', 'replace')}")

    def down(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def flap_loop(self, chaos):
        for _ in range(1_000):
            if not chaos.running():
                return
            time.sleep(chaos.rng.uniform(3, 8))
            self.down()
            time.sleep(chaos.rng.uniform(0.5, 2.5))
            self.up()


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_project(target, port, copies):
    """The committed example project in `target`, with the Vorlage 2026-017 copied under the
    ids `copies` (number NNN/26 from the id), sending by plain SMTP to 127.0.0.1:`port`."""
    os.makedirs(target)
    archive = subprocess.run(
        ["git", "-C", ROOT, "archive", "HEAD", "ratsflow.yaml", "workflows", "papers",
         "templates", "state", "anlagen"], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", target], input=archive, check=True)
    papers = os.path.join(target, "papers")
    with open(os.path.join(papers, "2026-017.yaml"), "rb") as source:
        paper = source.read()
    for paper_id in copies:
        number = paper_id.split("-")[1]
        write_file(os.path.join(papers, f"{paper_id}.yaml"),
                   paper.replace(b'"017/26"', f'"{number}/26"'.encode()))
    with open(os.path.join(target, "ratsflow.yaml"), "a", encoding="utf-8") as settings:
        settings.write(
            "mail:\n"
            "  from: { name: \"Sitzungsdienst Kreis Groß-Gerau\","
            " email: sitzungsdienst@kreis-gross-gerau.example }\n"
            f"  smtp: {{ host: 127.0.0.1, port: {port}, security: plain, timeout_seconds: 3 }}\n")


def sent_keys(project):
    """Notice keys with a notice_sent line in state/outbox/*.jsonl."""
    keys = set()
    outbox = os.path.join(project, "state", "outbox")
    for name in sorted(os.listdir(outbox)) if os.path.isdir(outbox) else []:
        if not name.endswith(".jsonl"):
            continue
        for line in complete_lines(os.path.join(outbox, name)) or []:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if entry.get("event") == "notice_sent" and entry.get("key"):
                keys.add(entry["key"])
    return keys


def received_ids(folder):
    """Message-IDs (without brackets) of every message the server saved, with repeats."""
    parser = email.parser.BytesParser(policy=email.policy.default)
    ids = collections.Counter()
    for name in sorted(os.listdir(folder)):
        if name.endswith(".eml"):
            with open(os.path.join(folder, name), "rb") as message:
                header = parser.parse(message, headersonly=True).get("Message-ID", "")
            ids[str(header).strip().strip("<>")] += 1
    return ids


def message_id_prefix(key):
    """The start of the Message-ID ratsflow gives the notice with this key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + ".ratsflow@"
