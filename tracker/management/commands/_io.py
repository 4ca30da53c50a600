"""Shared bits of the management commands: reading a file with a one-line error."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError


def file_bytes(path: str) -> bytes:
    p = Path(path)
    if not p.exists():
        raise CommandError(f"{path}: no such file")
    if not p.is_file():
        raise CommandError(f"{path}: not a regular file")
    size, limit = p.stat().st_size, settings.TRACKER_MAX_UPLOAD_BYTES
    if size > limit:
        # Refused before reading: a multi-gigabyte file must not be pulled into memory.
        raise CommandError(f"{path}: file is too large ({size} bytes, limit {limit})")
    try:
        return p.read_bytes()
    except OSError as exc:
        raise CommandError(f"{path}: cannot be read ({exc.strerror})") from exc


def json_write(path: str, payload: dict) -> None:
    text = json.dumps(payload, ensure_ascii=False, indent=1)
    if path == "-":
        print(text)
        return
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(text, encoding="utf-8")
