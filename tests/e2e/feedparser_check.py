"""Reads published feeds with Python's feedparser, an independent and widely used parser.

Prints one JSON object: {path: {"bozo": 0|1, "exception": str|None, "entries": N, "version": str}}.
Run with Debian's system python (/usr/bin/python3), where python3-feedparser is installed.
"""
import json
import sys

import feedparser

result = {}
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        parsed = feedparser.parse(f.read())
    result[path] = {
        "bozo": int(bool(parsed.bozo)),
        "exception": str(parsed.get("bozo_exception")) if parsed.bozo else None,
        "entries": len(parsed.entries),
        "version": parsed.version,
    }
print(json.dumps(result))
