#!/usr/bin/env python3
"""Chaos test (issue 8, „Proof“): every promise kept under concurrency, kills and faults.

On a temporary copy of the committed example project (as `git archive HEAD` gives it) with a
few more Beschlussvorlagen in flight, this runs at once, for CHAOS_SECONDS (default 150):

- a `ratsflow watch` (started again whenever it dies), two loops of `ratsflow run`,
- two loops of `sign`/`return`/`decide` on the papers in flight, now and then three of the
  same command at once,
- a killer that SIGKILLs a random one of those processes every fraction of a second,
- the aiosmtpd peer (tests/peers/smtp_server.py --plain) on 127.0.0.1, recording every
  message; it is stopped and started again every few seconds,
- hostile files appearing and disappearing: a paper nested 5,000 levels deep, a paper saved
  with a UTF-8 BOM, a paper whose file name holds a line break, a FIFO in place of a journal,
- a reader that snapshots every journal and outbox under state/ a few times a second.

Then, with the server up and the hostile files gone, one clean `run` (its clock two hours on,
past any retry backoff) finishes, and the invariants are checked:

- expected: the notice keys the final state/outbox says are sent; each must have reached the
  server (Message-IDs are derived from the key: sha256(key), 16 bytes hex, `.ratsflow@…`),
- duplicated: messages the server received more than once (same Message-ID),
- journal lines lost: a complete line seen in any snapshot must still be there, byte-equal,
- false alarms: no journal is ever deleted or cut here, so an error saying one „fehlt oder
  wurde gekürzt“ is wrong (and holds that paper's notices and documents for the pass),
- panics: exit code 101, „panicked“ in any stderr, or death by a signal this script did not
  send (a stack overflow aborts); hung: a command that did not end within PROCESS_TIMEOUT.

Prints one summary line and exits non-zero unless 0 duplicated, 0 lost, 0 panics, 0 hung,
0 false alarms and every expected notice delivered. Everything listens and connects on 127.0.0.1 only; every loop
is bounded in count and time, and the script stops by itself.

    python3 bench/chaos.py [--bin target/release/ratsflow] [--seconds 150] [--seed N]
"""

import argparse
import collections
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the checkout
from chaos_world import (ROOT, Server, complete_lines, free_port, make_fifo, make_project,
                         message_id_prefix, received_ids, remove, remove_fifo, sent_keys,
                         toggle_file, write_file)
NOW = "2026-11-23T10:00:00+01:00"
# Past the longest retry backoff (one hour, +20 %), so the clean run retries what failed.
FINAL_NOW = "2026-11-23T12:00:00+01:00"
PROCESS_TIMEOUT = 120
# The example's Vorlage in flight and copies of it under other numbers.
IN_FLIGHT = ["2026-017"] + [f"2026-1{n:02}" for n in range(1, 9)]
FIFO_PAPER = "2026-190"
BOM_PAPER = "2026-150"
SIGNERS = ["fb-soziale-sicherung", "stab-asyl", "bfi", "landrat"]
BODIES = {"ausschuss-sig": "kreistagsbuero", "bgm-dv": "buero-landrat",
          "kreistag-gg": "kreistagsbuero"}
RESULTS = ["beschlossen", "abgelehnt", "vertagt", "zur-kenntnis-genommen"]


class Chaos:
    """The shared state of one chaos run: processes, counters, snapshots."""

    def __init__(self, binary, project, logs, deadline, rng):
        self.binary = binary
        self.project = project
        self.logs = logs
        self.deadline = deadline
        self.rng = rng
        self.lock = threading.Lock()
        self.live = {}  # pid -> Popen of ratsflow processes
        self.killed = set()  # pids this script SIGKILLed
        self.operations = 0
        self.kills = 0
        self.panics = []
        self.hung = []
        self.alarms = []  # „Journal fehlt oder wurde gekürzt“ although none was touched
        self.codes = collections.Counter()
        self.seen = {}  # path -> Counter of complete lines, the most ever seen at once
        self.lost = set()  # (path, line) seen once and missing later
        self.stop = threading.Event()

    def running(self):
        return not self.stop.is_set() and time.monotonic() < self.deadline

    # --- ratsflow processes -------------------------------------------------------------

    def start(self, args, now=NOW):
        """Starts `ratsflow --project P --now NOW ARGS`; returns (Popen, stderr path)."""
        with self.lock:
            self.operations += 1
            number = self.operations
        err = os.path.join(self.logs, f"{number}.err")
        command = [self.binary, "--project", self.project, "--now", now, *args]
        with open(err, "wb") as stderr:
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL,
                                       stdout=subprocess.DEVNULL, stderr=stderr)
        with self.lock:
            self.live[process.pid] = process
        return process, err, command

    def finish(self, process, err, command, timeout=PROCESS_TIMEOUT):
        """Waits for a started process and books its outcome; returns its exit code."""
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            code = process.wait()
            with self.lock:
                self.hung.append(" ".join(command[3:]))
        with self.lock:
            self.live.pop(process.pid, None)
            ours = process.pid in self.killed
            self.codes[code] += 1
            if ours and code == -signal.SIGKILL:
                self.kills += 1
        with open(err, "rb") as stderr:
            text = stderr.read().decode("utf-8", "replace")
        if "fehlt oder wurde gekürzt" in text:
            with self.lock:
                self.alarms.append(f"exit {code}: {' '.join(command[3:])}\n{text[-1000:]}")
        foreign_signal = code < 0 and not ours and code != -signal.SIGTERM
        if code == 101 or "panicked" in text or foreign_signal:
            with self.lock:
                self.panics.append(f"exit {code}: {' '.join(command[3:])}\n{text[-2000:]}")
        return code

    def run(self, args, now=NOW):
        return self.finish(*self.start(args, now))

    # --- actors -------------------------------------------------------------------------

    def run_loop(self):
        for _ in range(10_000):
            if not self.running():
                return
            self.run(["--quiet", "run"])
            time.sleep(self.rng.uniform(0, 0.4))

    def watch_loop(self):
        for _ in range(1_000):
            if not self.running():
                return
            process, err, command = self.start(["--quiet", "watch"])
            while self.running() and process.poll() is None:
                time.sleep(0.1)
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
            self.finish(process, err, command, timeout=30)
            time.sleep(0.3)

    def record_args(self):
        paper = self.rng.choice(IN_FLIGHT)
        what = self.rng.random()
        if what < 0.6:
            return ["sign", paper, "--as", self.rng.choice(SIGNERS)]
        if what < 0.8:
            return ["return", paper, "--as", self.rng.choice(SIGNERS),
                    "--comment", "Bitte die Finanzierung überarbeiten."]
        body = self.rng.choice(list(BODIES))
        office = BODIES[body] if self.rng.random() < 0.9 else "landrat"
        return ["decide", paper, "--body", body, "--as", office,
                "--result", self.rng.choice(RESULTS)]

    def record_loop(self):
        for _ in range(10_000):
            if not self.running():
                return
            args = self.record_args()
            copies = 3 if self.rng.random() < 0.2 else 1
            started = [self.start(["--quiet", *args]) for _ in range(copies)]
            for one in started:
                self.finish(*one)
            time.sleep(self.rng.uniform(0, 0.3))

    def kill_loop(self):
        for _ in range(10_000):
            if not self.running():
                return
            time.sleep(self.rng.uniform(0.2, 0.8))
            with self.lock:
                victims = [p for p in self.live.values() if p.poll() is None]
                if not victims:
                    continue
                victim = self.rng.choice(victims)
                try:
                    os.kill(victim.pid, signal.SIGKILL)
                except ProcessLookupError:
                    continue
                self.killed.add(victim.pid)

    def hostile_loop(self):
        papers = os.path.join(self.project, "papers")
        deep = os.path.join(papers, "zz-tief.yaml")
        bom = os.path.join(papers, f"{BOM_PAPER}.yaml")
        broken = os.path.join(papers, "zz-zeilen\numbruch.yaml")
        fifo = os.path.join(self.project, "state", f"{FIFO_PAPER}.jsonl")
        nested = ("- " * 5000 + "v\n").encode()
        with open(os.path.join(papers, "2026-017.yaml"), "rb") as source:
            paper = source.read()
        bom_paper = b"\xef\xbb\xbf" + paper.replace(b'"017/26"', b'"150/26"')
        broken_paper = paper.replace(b'"017/26"', b'"160/26"')
        for _ in range(10_000):
            if not self.running():
                return
            action = self.rng.choice(["deep", "bom", "broken", "fifo"])
            if action == "deep":
                toggle_file(deep, nested)
            elif action == "bom":
                toggle_file(bom, bom_paper)
            elif action == "broken":
                write_file(broken, broken_paper)
                time.sleep(self.rng.uniform(0.1, 0.8))
                remove(broken)
            else:
                make_fifo(fifo)
                time.sleep(self.rng.uniform(0.2, 1.5))
                remove_fifo(fifo)
            time.sleep(self.rng.uniform(0.2, 1.5))
        remove(deep)

    def clear_hostile(self):
        papers = os.path.join(self.project, "papers")
        for name in ("zz-tief.yaml", "zz-zeilen\numbruch.yaml"):
            remove(os.path.join(papers, name))
        remove_fifo(os.path.join(self.project, "state", f"{FIFO_PAPER}.jsonl"))

    def snapshot_loop(self):
        for _ in range(100_000):
            if not self.running():
                return
            self.snapshot()
            time.sleep(0.25)

    def snapshot(self):
        """Reads every journal and outbox; books lines that were seen before and are gone."""
        state = os.path.join(self.project, "state")
        for folder in (state, os.path.join(state, "outbox")):
            try:
                names = sorted(os.listdir(folder))
            except OSError:
                continue
            for name in names:
                if name.endswith(".jsonl"):
                    path = os.path.join(folder, name)
                    self.compare(path, complete_lines(path))

    def compare(self, path, lines):
        if lines is None:
            return
        now = collections.Counter(lines)
        with self.lock:
            before = self.seen.setdefault(path, collections.Counter())
            for line, count in before.items():
                if now[line] < count:
                    self.lost.add((path, line))
            before |= now


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", default=os.environ.get(
        "RATSFLOW_BIN", os.path.join(ROOT, "target/release/ratsflow")))
    parser.add_argument("--seconds", type=float,
                        default=float(os.environ.get("CHAOS_SECONDS", "150")))
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 32)
    print(f"chaos: {args.seconds:.0f} s, seed {seed}, binary {args.bin}", flush=True)

    work = tempfile.mkdtemp(prefix="ratsflow-chaos-")
    project = os.path.join(work, "project")
    logs = os.path.join(work, "logs")
    received = os.path.join(work, "received")
    os.makedirs(logs)
    os.makedirs(received)
    port = free_port()
    make_project(project, port, IN_FLIGHT[1:] + [FIFO_PAPER])
    server = Server(port, received, logs)
    chaos = Chaos(os.path.abspath(args.bin), project, logs,
                  time.monotonic() + args.seconds, random.Random(seed))
    threads = []
    try:
        server.up()
        actors = [chaos.watch_loop, chaos.run_loop, chaos.run_loop, chaos.record_loop,
                  chaos.record_loop, chaos.kill_loop, chaos.hostile_loop, chaos.snapshot_loop,
                  lambda: server.flap_loop(chaos)]
        threads = [threading.Thread(target=actor, daemon=True) for actor in actors]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=max(1.0, chaos.deadline - time.monotonic()) + PROCESS_TIMEOUT)
        chaos.stop.set()

        # The end: server up, hostile files gone, one clean pass.
        chaos.clear_hostile()
        if server.process is None or server.process.poll() is not None:
            server.up()
        chaos.snapshot()
        final = chaos.run(["--quiet", "run"], now=FINAL_NOW)
        chaos.snapshot()
    finally:
        chaos.stop.set()
        with chaos.lock:
            leftovers = [p for p in chaos.live.values() if p.poll() is None]
        for process in leftovers:
            process.kill()
            process.wait()
        server.down()

    expected = sent_keys(project)
    ids = received_ids(received)
    expected_ids = {message_id_prefix(key): key for key in expected}
    delivered = sum(1 for prefix in expected_ids if any(i.startswith(prefix) for i in ids))
    duplicated = sum(count - 1 for count in ids.values() if count > 1)
    lost = len(chaos.lost)
    print(f"operations {chaos.operations}, kills {chaos.kills}, notices expected {len(expected)}"
          f" / delivered {delivered} / duplicated {duplicated}, journal lines lost {lost},"
          f" panics {len(chaos.panics)}")
    unaccounted = [i for i in ids if not any(i.startswith(p) for p in expected_ids)]
    codes = ", ".join(f"{code}: {n}" for code, n in sorted(chaos.codes.items()))
    print(f"exit codes {{{codes}}}, hung {len(chaos.hung)},"
          f" false vanished-journal alarms {len(chaos.alarms)}, server starts {server.starts},"
          f" messages received {sum(ids.values())} ({len(unaccounted)} not recorded as sent),"
          f" final run exit {final}")

    problems = []
    problems += [f"panic: {p}" for p in chaos.panics[:5]]
    problems += [f"hung: {h}" for h in chaos.hung[:5]]
    problems += [f"false alarm: {a}" for a in chaos.alarms[:3]]
    problems += [f"lost from {os.path.relpath(p, project)}: {l[:200]!r}"
                 for p, l in sorted(chaos.lost)[:5]]
    problems += [f"duplicated at the server: {i}" for i, n in ids.items() if n > 1][:5]
    problems += [f"recorded as sent, never delivered: {key}"
                 for prefix, key in expected_ids.items()
                 if not any(i.startswith(prefix) for i in ids)][:5]
    if final not in (0, 1):
        problems.append(f"the clean run ended with exit {final}")
    # A test that exercised nothing proves nothing: the papers in flight must have sent notices
    # and some records must have gone through.
    if not expected:
        problems.append("no notice was sent at all: the project in flight did not work")
    if chaos.codes.get(0, 0) == 0:
        problems.append("no command succeeded: the project in flight did not work")
    for problem in problems:
        print(problem)
    if args.keep or problems:
        print(f"kept: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
