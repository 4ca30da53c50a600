from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker.management.commands._io import file_bytes, json_write
from tracker.pipeline.compare import pair_compare
from tracker.pipeline.types import PipelineError


class Command(BaseCommand):
    help = "Extract the pledges of a year-N plan and judge them against the year-N+1 review; write JSON."

    def add_arguments(self, parser):
        parser.add_argument("plan", help="the report delivered in year N (holds the plan for N)")
        parser.add_argument("review", nargs="?", help="the report delivered in N+1 (holds the review of N)")
        parser.add_argument("--plan-year", type=int, required=True)
        parser.add_argument("--jurisdiction", default="")
        parser.add_argument("--json", dest="out", default="-", help="output file, - for stdout")

    def handle(self, *args, **opts):
        plan_data = file_bytes(opts["plan"])
        review_data = file_bytes(opts["review"]) if opts["review"] else None
        try:
            result = pair_compare(
                Path(opts["plan"]).name,
                plan_data,
                Path(opts["review"]).name if opts["review"] else None,
                review_data,
                opts["plan_year"],
                jurisdiction=opts["jurisdiction"],
            )
        except PipelineError as exc:
            raise CommandError(str(exc)) from exc
        json_write(opts["out"], result)
        if opts["out"] != "-":
            counts: dict[str, int] = {}
            for row in result["pledges"]:
                counts[row["status"]] = counts.get(row["status"], 0) + 1
            summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
            scored = sum(1 for row in result["pledges"] if row.get("scored", True))
            line = f"{len(result['pledges'])} pledges, {scored} scored ({summary})"
            if "scorecard" in result:
                line += "; estimated " + ", ".join(
                    f"{k} {100 * v:.0f}% ({100 * lo:.0f}–{100 * hi:.0f})"
                    for (k, v), (lo, hi) in zip(result["scorecard"].items(), result["scorecard_interval"].values(), strict=True)
                )
            self.stdout.write(f"{line} -> {opts['out']}")
