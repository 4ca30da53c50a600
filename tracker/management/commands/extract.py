from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker.management.commands._io import file_bytes, json_write
from tracker.pipeline.compare import document_structure
from tracker.pipeline.read import document_read
from tracker.pipeline.types import PipelineError


class Command(BaseCommand):
    help = "Write the structure found in one file: its reports, sections and plan pledges."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--year", type=int, default=None, help="the year the report was delivered")
        parser.add_argument("--json", dest="out", default="-")

    def handle(self, *args, **opts):
        data = file_bytes(opts["file"])
        try:
            read = document_read(Path(opts["file"]).name, data, opts["year"])
        except PipelineError as exc:
            raise CommandError(str(exc)) from exc
        structure = document_structure(read)
        json_write(opts["out"], structure)
        for warning in read.warnings:
            self.stderr.write(f"warning: {warning}")
        if opts["out"] != "-":
            pledges = sum(len(r["pledges"]) for r in structure["reports"])
            self.stdout.write(f"{len(structure['reports'])} report(s), {pledges} pledges -> {opts['out']}")
