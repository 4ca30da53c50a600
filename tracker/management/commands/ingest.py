from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker import services
from tracker.management.commands._io import file_bytes
from tracker.models import Level, ProcessingState


class Command(BaseCommand):
    help = "Store and process report files for one jurisdiction and year (same path as an upload)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+")
        parser.add_argument("--jurisdiction", required=True)
        parser.add_argument("--level", required=True, choices=Level.values)
        parser.add_argument("--year", type=int, required=True, help="the year the report was delivered")
        parser.add_argument("--parent", default=None, help="name of the parent jurisdiction")
        parser.add_argument("--title", default="")
        parser.add_argument("--source-url", default="")

    def handle(self, *args, **opts):
        failures = []
        for path in opts["files"]:
            try:
                document = self._ingest_one(path, opts)
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
            raise CommandError(f"{len(failures)} of {len(opts['files'])} file(s) failed")

    def _ingest_one(self, path: str, opts):
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
        )
