import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Score the tracker on the hand-labelled pairs (runs ../shared/eval/score.py, which calls `compare`)."

    def add_arguments(self, parser):
        shared = Path(settings.BASE_DIR).parent / "shared" / "eval"
        parser.add_argument("--gold", default=str(shared / "dev"))
        parser.add_argument("--scorer", default=str(shared / "score.py"))
        parser.add_argument("--out", default=None, help="keep the compare outputs here")

    def handle(self, *args, **opts):
        scorer = Path(opts["scorer"])
        if not scorer.is_file():
            raise CommandError(f"{scorer}: scorer not found (give --scorer)")
        out = opts["out"] or tempfile.mkdtemp(prefix="tracker-eval-")
        result = subprocess.run(
            [sys.executable, str(scorer), "--gold", opts["gold"], "--system", out, "--run", "--python", sys.executable],
            cwd=settings.BASE_DIR,
        )
        if result.returncode:
            raise CommandError(f"the scorer exited with {result.returncode}")
