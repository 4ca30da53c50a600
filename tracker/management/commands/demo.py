from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from tracker import selectors, services
from tracker.models import Document, Evidence, Pledge, Tracking

SAMPLES = Path(settings.BASE_DIR) / "data" / "samples"


def scorecard_line(card: selectors.Scorecard) -> str:
    """The estimate first, as the dashboard states it; the verdicts shown come after.

    The hard counts alone overstate "dropped" (a verdict right four times in five is not a
    certainty), so they are never the headline.
    """
    head = f"{card.total} scored pledges, {card.general} general commitments"
    counts = ", ".join(f"{k} {v}" for k, v in card.counts.items() if v)
    if not (card.estimate and card.interval):
        return f"{head}; verdicts {counts}"
    est = ", ".join(
        f"{s} {card.estimate[s]:.0%} ({card.interval[s][0]:.0%}-{card.interval[s][1]:.0%})" for s in card.estimate
    )
    return f"{head}; estimated {est}; verdicts shown {counts}"


class Command(BaseCommand):
    help = "Ingest the bundled sample reports and track them (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--samples", default=str(SAMPLES), help="a folder with a MANIFEST.csv")

    def handle(self, *args, **opts):
        call_command("migrate", verbosity=0, interactive=False)
        call_command("ingest", manifest=str(Path(opts["samples"]) / "MANIFEST.csv"), stdout=self.stdout, stderr=self.stderr)
        services.corpus_track_request()
        for item in selectors.dashboard_governments():
            self.stdout.write(f"{item['jurisdiction'].name} {item['plan_year']}: {scorecard_line(item['scorecard'])}")
        self.stdout.write(
            f"{Document.objects.count()} documents, {Pledge.objects.count()} pledges, "
            f"{Evidence.objects.count()} evidence spans, {Tracking.objects.count()} trackings"
        )
