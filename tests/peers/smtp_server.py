#!/usr/bin/env python3
"""An independent SMTP peer for CI: aiosmtpd with STARTTLS and AUTH, saving every message.

ratsflow's own tests use an in-process Rust SMTP server; this one is written by other people
in another language, so CI can show that what ratsflow sends is accepted and readable by a
foreign implementation. It listens on 127.0.0.1 only, makes a throw-away CA and a certificate
for localhost/127.0.0.1 at start (with the openssl command line tool), offers STARTTLS,
requires it before anything else, and accepts AUTH PLAIN/LOGIN with the user and password from
the command line. Every accepted message is written to DIR/<n>.eml exactly as received;
numbering goes on after the files already there, so a server started again on the same DIR
(the chaos test, bench/chaos.py, stops and starts it) keeps what it received before.

With --plain it offers neither TLS nor AUTH (ratsflow's `security: plain` for a relay on this
machine), and needs no openssl.

When it is listening it prints one line, `ready <port> <ca-file>`, and flushes. It stops on
SIGTERM/SIGINT, or by itself after --max-seconds.

    python3 tests/peers/smtp_server.py --dir /tmp/peer-mail --user ratsflow --password geheim
"""

import argparse
import logging
import os
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port():
    """A port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_certificates(folder):
    """A CA and a server certificate for localhost/127.0.0.1 signed by it; returns paths."""
    ca_key = os.path.join(folder, "ca.key")
    ca_pem = os.path.join(folder, "ca.pem")
    key = os.path.join(folder, "server.key")
    csr = os.path.join(folder, "server.csr")
    cert = os.path.join(folder, "server.pem")
    extensions = os.path.join(folder, "server.ext")
    with open(extensions, "w", encoding="ascii") as out:
        out.write(
            "basicConstraints=critical,CA:FALSE\n"
            "keyUsage=critical,digitalSignature,keyEncipherment\n"
            "extendedKeyUsage=serverAuth\n"
            "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
        )

    def openssl(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True)

    openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        "-subj", "/CN=ratsflow CI Test-CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        "-keyout", ca_key, "-out", ca_pem,
    )
    openssl(
        "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
        "-keyout", key, "-out", csr,
    )
    openssl(
        "x509", "-req", "-in", csr, "-CA", ca_pem, "-CAkey", ca_key, "-CAcreateserial",
        "-days", "1", "-extfile", extensions, "-out", cert,
    )
    return ca_pem, cert, key


class SaveToFolder:
    """Writes each message to <dir>/<n>.eml (atomically: a temporary file, then a rename)."""

    def __init__(self, folder):
        self.folder = folder
        self.count = max(
            (int(name[:-4]) for name in os.listdir(folder)
             if name.endswith(".eml") and name[:-4].isdigit()),
            default=0,
        )
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        with self.lock:
            self.count += 1
            number = self.count
        path = os.path.join(self.folder, f"{number}.eml")
        temporary = path + ".tmp"
        with open(temporary, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
        print(f"received {number}.eml from {envelope.mail_from} to {', '.join(envelope.rcpt_tos)}",
              flush=True)
        return "250 2.0.0 Message accepted"


def authenticator_for(user, password):
    """Accepts exactly one user/password pair for AUTH PLAIN and LOGIN."""
    expected = (user.encode("utf-8"), password.encode("utf-8"))

    def authenticate(server, session, envelope, mechanism, auth_data):
        if isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == expected:
            return AuthResult(success=True)
        print(f"refused login ({mechanism})", flush=True)
        return AuthResult(success=False, handled=False)

    return authenticate


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: a free one)")
    parser.add_argument("--dir", required=True, help="folder for the received .eml files")
    parser.add_argument("--user", default="ratsflow", help="user name for AUTH")
    parser.add_argument("--password", default="ratsflow-ci", help="password for AUTH")
    parser.add_argument("--max-seconds", type=float, default=900,
                        help="stop by itself after this long (default 900)")
    parser.add_argument("--plain", action="store_true",
                        help="no STARTTLS and no AUTH: a relay on this machine")
    args = parser.parse_args()

    # aiosmtpd warns about its own use of a deprecated attribute on every login; keep quiet.
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    os.makedirs(args.dir, exist_ok=True)
    port = args.port or free_port()
    if args.plain:
        ca_pem = "-"
        controller = Controller(
            SaveToFolder(args.dir), hostname="127.0.0.1", port=port, server_hostname="localhost"
        )
    else:
        certificates = tempfile.mkdtemp(prefix="ratsflow-peer-tls-")
        ca_pem, cert, key = make_certificates(certificates)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        controller = Controller(
            SaveToFolder(args.dir),
            hostname="127.0.0.1",
            port=port,
            server_hostname="localhost",
            tls_context=context,
            require_starttls=True,
            auth_required=True,
            auth_require_tls=True,
            authenticator=authenticator_for(args.user, args.password),
        )
    controller.start()
    print(f"ready {port} {ca_pem}", flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait(args.max_seconds)
    controller.stop()
    print("stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
