import argparse
import csv
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker import services
from tracker.management.commands._io import file_bytes
from tracker.models import Level, ProcessingState


class Command(BaseCommand):
    help = (
        "Store and process report files for one jurisdiction and year (same path as an upload), "
        "or every file listed in a manifest CSV (columns file or path, jurisdiction, level, year; "
        "optional source_url and delivered, YYYY-MM-DD)."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*")
        parser.add_argument("--manifest", default=None, help="CSV listing files relative to its own folder")
        parser.add_argument("--jurisdiction")
        parser.add_argument("--level", choices=Level.values)
        parser.add_argument("--year", type=int, help="the year the report was delivered")
        parser.add_argument("--parent", default=None, help="name of the parent jurisdiction")
        parser.add_argument("--title", default="")
        parser.add_argument("--source-url", default="")
        parser.add_argument("--delivered", type=_date, default=None, help="the day the report was delivered, YYYY-MM-DD")

    def handle(self, *args, **opts):
        if opts["manifest"]:
            jobs = manifest_jobs(opts["manifest"], opts)
        elif opts["files"] and opts["jurisdiction"] and opts["level"] and opts["year"] is not None:
            jobs = [(path, opts) for path in opts["files"]]
        else:
            raise CommandError("give FILE... with --jurisdiction, --level and --year, or --manifest CSV")
        failures = []
        for path, job in jobs:
            try:
                document = self._ingest_one(path, job)
            except (services.IngestError, CommandError) as exc:
                failures.append(str(exc))
                self.stderr.write(f"error: {exc}")
                continue
            if document.state == ProcessingState.FAILED:
                failures.append(document.error)
                self.stderr.write(f"error: {document.error}")
                continue
            for warning in document.warnings:
                self.stderr.write(f"warning: {path}: {warning}")
            note = f", near-duplicate of #{document.near_duplicate_of_id}" if document.near_duplicate_of_id else ""
            self.stdout.write(
                f"{path}: document #{document.pk}, {document.sections.count()} sections, "
                f"{document.pledges.count()} pledges{note}"
            )
        if failures:
            raise CommandError(f"{len(failures)} of {len(jobs)} file(s) failed")

    def _ingest_one(self, path: str, opts):
        if opts.get("problem"):
            raise CommandError(opts["problem"])
        data = file_bytes(path)
        parent = None
        if opts["parent"]:
            parent = services.jurisdiction_get_or_create(name=opts["parent"], level=Level.PROVINCE)
        services.document_validate(filename=services.filename_clean(path), data=data, year=opts["year"])
        jurisdiction = services.jurisdiction_get_or_create(name=opts["jurisdiction"], level=opts["level"], parent=parent)
        return services.document_ingest(
            filename=Path(path).name,
            data=data,
            jurisdiction=jurisdiction,
            year=opts["year"],
            title=opts["title"],
            source_url=opts["source_url"],
            delivered_on=opts.get("delivered"),
        )


def manifest_jobs(manifest: str, defaults: dict) -> list[tuple[str, dict]]:
    """One (path, options) per manifest row; a bad row becomes a job that fails with its reason."""
    path = Path(manifest)
    if not path.is_file():
        raise CommandError(f"{manifest}: no such manifest")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    jobs = []
    for number, row in enumerate(rows, start=2):
        name = row.get("file") or row.get("path") or ""
        job = {**defaults, "jurisdiction": (row.get("jurisdiction") or "").strip(), "level": (row.get("level") or "").strip()}
        try:
            job["year"] = int(row.get("year") or "")
        except ValueError:
            job["year"] = None
        problem = None
        if not name:
            problem = "no file"
        elif job["level"] not in Level.values:
            problem = f"level {job['level']!r} is not one of {', '.join(Level.values)}"
        elif job["year"] is None:
            problem = "no year (the year a report was delivered cannot be trusted from its text)"
        elif not job["jurisdiction"]:
            problem = "no jurisdiction"
        job["source_url"] = (row.get("source_url") or "").strip() or defaults.get("source_url", "")
        try:
            job["delivered"] = _date(row["delivered"]) if (row.get("delivered") or "").strip() else defaults.get("delivered")
        except argparse.ArgumentTypeError as exc:
            problem = problem or str(exc)
        job["problem"] = f"{manifest} line {number} ({name}): {problem}" if problem else None
        jobs.append((str(path.parent / name), job))
    return jobs


def _date(raw: str) -> date:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"delivery date {raw!r} is not YYYY-MM-DD") from exc
