"""manage.py bench_dashboard: server time of dashboard pages over 100,000 pledges.

Run it against its own database, never the real one, e.g.
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pt_bench_dash python manage.py bench_dashboard
The database is created and migrated when missing, and loaded once (re-runs reuse it).
"""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from tracker.benchmarks import dashboard_bench, synthetic

BUDGET_MS = 300


class Command(BaseCommand):
    help = "Measure dashboard page times (median, p95) over a bulk-loaded database of 100,000 pledges."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--pledges", type=int, default=100_000)
        parser.add_argument("--governments", type=int, default=40)
        parser.add_argument("--repeat", type=int, default=30, help="requests per page")
        parser.add_argument(
            "--allow-any-database",
            action="store_true",
            help="run even when the database name does not start with pt_bench (it bulk-loads rows!)",
        )

    def handle(self, *args, **options) -> None:
        db = settings.DATABASES["default"]
        if not db["ENGINE"].endswith("postgresql"):
            raise CommandError("the benchmark measures PostgreSQL; set DATABASE_URL=postgres://…/pt_bench_dash")
        if not str(db["NAME"]).startswith("pt_bench") and not options["allow_any_database"]:
            raise CommandError(f"refusing to bulk-load into {db['NAME']!r}; use a database named pt_bench_… (see --help)")
        synthetic.bench_database_ensure()
        call_command("migrate", verbosity=0, interactive=False)
        present = dashboard_bench.bench_data_present()
        if present < options["pledges"]:
            if present:
                raise CommandError(f"{present:,} benchmark pledges already loaded, fewer than asked; drop the database first")
            self.stdout.write(f"loading {options['pledges']:,} pledges over {options['governments']} governments…")
            dashboard_bench.bench_data_load(options["pledges"], options["governments"], log=self.stdout.write)
            _analyze()
        else:
            self.stdout.write(f"reusing {present:,} benchmark pledges")
        timings = dashboard_bench.bench_run(repeat=options["repeat"])
        self.stdout.write(f"\n{'page':<62} {'median':>9} {'p95':>9}  n")
        for timing in timings:
            flag = "" if timing.p95 < BUDGET_MS else "  OVER BUDGET"
            self.stdout.write(f"{timing.name:<62} {timing.median:>7.1f}ms {timing.p95:>7.1f}ms  {len(timing.times_ms)}{flag}")
        self.stdout.write(f"\nbudget: {BUDGET_MS} ms server time (Django test client: middleware, queries, templates)")


def _analyze() -> None:
    from django.db import connection

    # Fresh bulk loads have no planner statistics; without them PostgreSQL may pick bad plans.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
