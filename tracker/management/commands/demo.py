from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from tracker import selectors, services
from tracker.models import Document, Evidence, Pledge, Tracking

SAMPLES = Path(settings.BASE_DIR) / "data" / "samples"


class Command(BaseCommand):
    help = "Ingest the bundled sample reports and track them (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--samples", default=str(SAMPLES), help="a folder with a MANIFEST.csv")

    def handle(self, *args, **opts):
        call_command("migrate", verbosity=0, interactive=False)
        call_command("ingest", manifest=str(Path(opts["samples"]) / "MANIFEST.csv"), stdout=self.stdout, stderr=self.stderr)
        services.corpus_track_request()
        for item in selectors.dashboard_governments():
            card = item["scorecard"]
            counts = ", ".join(f"{k} {v}" for k, v in card.counts.items() if v)
            self.stdout.write(f"{item['jurisdiction'].name} {item['plan_year']}: {card.total} pledges ({counts})")
        self.stdout.write(
            f"{Document.objects.count()} documents, {Pledge.objects.count()} pledges, "
            f"{Evidence.objects.count()} evidence spans, {Tracking.objects.count()} trackings"
        )
