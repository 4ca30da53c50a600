import time

from django.core.management.base import BaseCommand, CommandError

from tracker import selectors, services
from tracker.models import Jurisdiction


class Command(BaseCommand):
    help = "Track plans against their reviews: one jurisdiction, or --all (one Celery task per pair)."

    def add_arguments(self, parser):
        parser.add_argument("--jurisdiction", default=None)
        parser.add_argument("--all", action="store_true")
        parser.add_argument("--wait", action="store_true", help="print progress until every pair is done")
        parser.add_argument("--timeout", type=int, default=1800)

    def handle(self, *args, **opts):
        if opts["all"]:
            trackings = services.corpus_track_request()
            jurisdiction_id = None
        elif opts["jurisdiction"]:
            try:
                jurisdiction = Jurisdiction.objects.get(name=opts["jurisdiction"])
            except Jurisdiction.DoesNotExist as exc:
                raise CommandError(f"no jurisdiction named {opts['jurisdiction']!r}") from exc
            jurisdiction_id = jurisdiction.pk
            trackings = services.jurisdiction_track_request(jurisdiction_id)
        else:
            raise CommandError("give --jurisdiction NAME or --all")
        self.stdout.write(f"{len(trackings)} pair(s) queued")
        if not opts["wait"]:
            return
        deadline = time.monotonic() + opts["timeout"]
        while True:
            progress = selectors.tracking_progress(jurisdiction_id)
            finished = progress["done"] + progress["failed"]
            self.stdout.write(f"{finished}/{progress['total']} done ({progress['failed']} failed)")
            if finished >= progress["total"]:
                break
            if time.monotonic() > deadline:
                raise CommandError("timed out waiting for the workers")
            time.sleep(2)
