from django.core.management.base import BaseCommand

from tracker import services


class Command(BaseCommand):
    help = (
        "Re-queue or fail documents and trackings stuck in queued/processing past TRACKER_STUCK_AFTER "
        "(worker killed, database cut mid-task, broker down when the task was sent); the reason goes in `error`. "
        "celery beat runs the same sweep every TRACKER_SWEEP_EVERY seconds."
    )

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, default=None,
                            help="seconds (default TRACKER_STUCK_AFTER)")

    def handle(self, *args, **opts):
        lines = services.stuck_sweep(older_than=opts["older_than"])
        for line in lines:
            self.stdout.write(line)
        self.stdout.write(f"{len(lines)} stuck row(s) swept")
