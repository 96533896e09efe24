#!/usr/bin/env python3
"""Checks the .eml files ratsflow sent, with Python's own `email` package as the reader.

For every DIR/*.eml (parsed with policy=default, the strict modern parser):
- Subject is present and decodes cleanly: no encoded words left, no mojibake ("Ã¼"), and if
  it was encoded (RFC 2047) the decoded text contains non-ASCII letters such as umlauts;
- From and To parse into mailboxes whose display names decode the same way (a comma in
  "Müller, Hans" must not split a mailbox) and whose addresses contain "@";
- Message-ID is present and unique across all files (duplicates are listed);
- with --expect-docx: a .docx attachment with an ASCII file name that python-docx can open.

Prints one line per problem and a summary (`N messages ok`); exits 1 on any problem, also
when DIR holds no .eml file or not --expect-count of them.

    python3 tests/peers/check_mail.py /tmp/peer-mail --expect-docx
"""

import argparse
import io
import pathlib
import re
import sys
from collections import defaultdict
from email import policy
from email.parser import BytesParser

ENCODED_WORD = re.compile(r"=\?[^?]+\?[bBqQ]\?")
MOJIBAKE = re.compile("Ã[\u0080-\u00bf]|â€|Â\u00a0|\ufffd")


def text_problems(what, raw, decoded):
    """Problems with a decoded header text; `raw` is the header as it is in the file."""
    problems = []
    if ENCODED_WORD.search(decoded):
        problems.append(f"{what} still contains an encoded word: {decoded!r}")
    if MOJIBAKE.search(decoded):
        problems.append(f"{what} looks double-encoded (mojibake): {decoded!r}")
    if ENCODED_WORD.search(raw) and decoded.isascii():
        problems.append(f"{what} is encoded but decodes to plain ASCII: {decoded!r}")
    return problems


def raw_header(data, name):
    """The header's raw text (unfolded), as written in the file."""
    head = data.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    text = head.decode("ascii", "replace")
    match = re.search(rf"(?im)^{re.escape(name)}:(.*(?:\r?\n[ \t].*)*)", text)
    return re.sub(r"\r?\n[ \t]", " ", match.group(1)).strip() if match else ""


def mailbox_problems(message, data, name):
    problems = []
    header = message[name]
    if header is None:
        return [f"no {name} header"]
    raw = raw_header(data, name)
    if not raw.isascii():
        problems.append(f"{name} header has raw 8-bit bytes (not RFC 2047 encoded)")
    for defect in header.defects:
        problems.append(f"{name}: {type(defect).__name__}: {defect}")
    addresses = header.addresses
    if not addresses:
        problems.append(f"{name} holds no mailbox")
    for address in addresses:
        if "@" not in address.addr_spec:
            problems.append(f"{name}: {address.addr_spec!r} is no address "
                            f"(a display name split at a comma?)")
        # Only Subject is held to "encoded means non-ASCII": lettre also encodes plain names
        # that need quoting, such as "Schulz, Anna".
        problems += text_problems(f"{name} name", "", address.display_name)
    return problems


def docx_problems(message):
    import docx  # python-docx, only needed with --expect-docx

    problems = []
    found = 0
    for part in message.iter_attachments():
        filename = part.get_filename() or ""
        if not filename.lower().endswith(".docx"):
            continue
        found += 1
        if not filename.isascii() or not re.fullmatch(r"[A-Za-z0-9._-]+", filename):
            problems.append(f"attachment name {filename!r} is not plain ASCII")
        content = part.get_content()
        if not isinstance(content, bytes):
            problems.append(f"attachment {filename} is not binary content")
            continue
        try:
            document = docx.Document(io.BytesIO(content))
            _ = [paragraph.text for paragraph in document.paragraphs]
        except Exception as error:  # any failure to open is the finding
            problems.append(f"attachment {filename} does not open with python-docx: {error}")
    if found == 0:
        problems.append("no .docx attachment")
    return problems


def check(path, expect_docx):
    """Returns (problems, message_id) of one file."""
    data = path.read_bytes()
    message = BytesParser(policy=policy.default).parsebytes(data)
    problems = [f"{type(defect).__name__}: {defect}" for defect in message.defects]

    subject = message["subject"]
    if subject is None or not str(subject).strip():
        problems.append("no Subject")
    else:
        raw = raw_header(data, "Subject")
        if not raw.isascii():
            problems.append("Subject has raw 8-bit bytes (not RFC 2047 encoded)")
        problems += text_problems("Subject", raw, str(subject))

    problems += mailbox_problems(message, data, "From")
    problems += mailbox_problems(message, data, "To")

    message_id = (message["message-id"] or "").strip()
    if not re.fullmatch(r"<[^<>@\s]+@[^<>@\s]+>", message_id):
        problems.append(f"Message-ID missing or malformed: {message_id!r}")

    if expect_docx:
        problems += docx_problems(message)
    return problems, message_id


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", help="folder with the received .eml files")
    parser.add_argument("--expect-docx", action="store_true",
                        help="every message must carry a .docx that python-docx opens")
    parser.add_argument("--expect-count", type=int, default=None,
                        help="exactly this many messages must be there")
    args = parser.parse_args()

    files = sorted(pathlib.Path(args.dir).glob("*.eml"),
                   key=lambda p: (len(p.stem), p.stem))
    failures = 0
    by_id = defaultdict(list)
    for path in files:
        try:
            problems, message_id = check(path, args.expect_docx)
        except Exception as error:  # a file that cannot be read at all
            problems, message_id = [f"cannot be parsed: {error}"], ""
        if message_id:
            by_id[message_id].append(path.name)
        for problem in problems:
            print(f"{path.name}: {problem}")
        failures += bool(problems)

    duplicates = {mid: names for mid, names in by_id.items() if len(names) > 1}
    for message_id, names in sorted(duplicates.items()):
        print(f"duplicate Message-ID {message_id}: {', '.join(names)}")

    problems = failures + len(duplicates)
    if not files:
        print(f"no .eml files in {args.dir}")
        return 1
    if args.expect_count is not None and len(files) != args.expect_count:
        print(f"expected {args.expect_count} messages, found {len(files)}")
        problems += 1
    if problems:
        print(f"{len(files)} messages, {failures} with problems, "
              f"{len(duplicates)} duplicate Message-IDs")
        return 1
    print(f"{len(files)} messages ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
