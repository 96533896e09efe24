#!/usr/bin/env python3
"""Validates every OParl object of an exported tree — each file, each list element and every
object embedded in them — against the OParl 1.1 JSON schema of its type, with formats checked.

usage: oparl-schemas.py TREE SCHEMA_DIR
"""
import collections
import json
import pathlib
import sys

import jsonschema

tree, schema_dir = map(pathlib.Path, sys.argv[1:3])
validators = {}
for path in schema_dir.glob("*.json"):
    schema = json.loads(path.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validators[path.stem] = cls(schema, format_checker=cls.FORMAT_CHECKER)

# The schemas must bite: a wrong type URL and a broken date-time are refused.
assert not validators["Paper"].is_valid({"id": "https://x.example/p", "type": "https://schema.oparl.org/1.0/Paper"})
assert not validators["Paper"].is_valid(
    {"id": "https://x.example/p", "type": "https://schema.oparl.org/1.1/Paper", "created": "gestern"}
)


def objects(value):
    if isinstance(value, dict):
        if str(value.get("type", "")).startswith("https://schema.oparl.org/"):
            yield value
        for item in value.values():
            yield from objects(item)
    elif isinstance(value, list):
        for item in value:
            yield from objects(item)


counts = collections.Counter()
errors = []
files = sorted(tree.rglob("*.json"))
for path in files:
    document = json.loads(path.read_text(encoding="utf-8"))
    for obj in objects(document):
        kind = obj["type"].rsplit("/", 1)[-1]
        validator = validators.get(kind)
        if validator is None:
            errors.append(f"{path}: unknown type {obj['type']}")
            continue
        for error in validator.iter_errors(obj):
            errors.append(f"{path.relative_to(tree)}: {kind} {obj.get('id')}: {error.message}")
        counts[kind] += 1

print(f"{len(files)} JSON files, {sum(counts.values())} objects validated: "
      + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
if errors:
    print("\n".join(errors[:200]))
    sys.exit(f"{len(errors)} schema errors")
for kind in ["System", "Body", "Organization", "Person", "Membership", "Meeting", "AgendaItem",
             "Paper", "Consultation", "File", "LegislativeTerm"]:
    if not counts[kind]:
        sys.exit(f"the export has no {kind}")
