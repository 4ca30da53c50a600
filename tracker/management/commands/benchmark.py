from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tracker.benchmarks.chain_bench import chain_benchmark
from tracker.benchmarks.pipeline_bench import benchmark_run


class Command(BaseCommand):
    help = "Measure pipeline throughput on the corpus and on synthetic corpora 10x/100x larger."

    def add_arguments(self, parser):
        default = Path(settings.BASE_DIR).parent / "shared" / "corpus"
        parser.add_argument("--corpus", default=str(default))
        parser.add_argument("--scales", default="1,10", help="comma-separated corpus multipliers, e.g. 1,10,100")
        parser.add_argument("--max-pairs", type=int, default=8, help="cap the pairs measured per scale (0: all)")

    def handle(self, *args, **opts):
        corpus = Path(opts["corpus"])
        if not corpus.is_dir():
            raise CommandError(f"{corpus}: corpus folder not found (give --corpus)")
        scales = [int(s) for s in opts["scales"].split(",") if s.strip()]
        benchmark_run(corpus, scales, opts["max_pairs"] or None, out=self.stdout.write)
        # Chaining runs after every tracked plan: its cost, and the throughput with and without it.
        chain_benchmark(corpus, opts["max_pairs"] or None, out=self.stdout.write)
