import csv
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from tracker import selectors, services
from tracker.management.commands._io import file_bytes
from tracker.models import Document, Evidence, Pledge, Tracking

SAMPLES = Path(settings.BASE_DIR) / "data" / "samples"


class Command(BaseCommand):
    help = "Ingest the bundled sample reports and track them (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--samples", default=str(SAMPLES))

    def handle(self, *args, **opts):
        call_command("migrate", verbosity=0, interactive=False)
        samples = Path(opts["samples"])
        with open(samples / "MANIFEST.csv", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        for row in rows:
            jurisdiction = services.jurisdiction_get_or_create(name=row["jurisdiction"], level=row["level"])
            document = services.document_ingest(
                filename=row["file"],
                data=file_bytes(str(samples / row["file"])),
                jurisdiction=jurisdiction,
                year=int(row["year"]),
                source_url="",
            )
            self.stdout.write(f"{row['file']}: {document.state}, {document.pledges.count()} pledges")
        services.corpus_track_request()
        for item in selectors.jurisdictions_tracked():
            card = item["scorecard"]
            counts = ", ".join(f"{k} {v}" for k, v in card.counts.items() if v)
            self.stdout.write(f"{item['jurisdiction'].name} {item['plan_year']}: {card.total} pledges ({counts})")
        self.stdout.write(
            f"{Document.objects.count()} documents, {Pledge.objects.count()} pledges, "
            f"{Evidence.objects.count()} evidence spans, {Tracking.objects.count()} trackings"
        )
