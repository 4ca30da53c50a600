"""Retrain the shipped pledge and status models from the labelled pairs, reproducibly."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tracker.learning.dataset import GoldError, pairs_build
from tracker.pipeline.calibrate import MODEL_PATH, STATUSES
from tracker.pipeline.types import PipelineError


def _rounded(value):
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


class Command(BaseCommand):
    help = (
        "Fit the checkable-pledge and status models on the labelled pairs, print every figure held out "
        "(leave-one-pair-out) and trained on all, and write the parameters file."
    )

    def add_arguments(self, parser):
        shared = Path(settings.BASE_DIR).parent / "shared"
        parser.add_argument("--gold", default=str(shared / "eval" / "dev"), help="folder of <pair>.meta.json + .jsonl")
        parser.add_argument("--corpus", default=str(shared / "corpus"), help="where the pairs' files are")
        parser.add_argument("--out", default=str(MODEL_PATH), help="parameters file to write")
        parser.add_argument("--dry-run", action="store_true", help="print the figures, write nothing")
        parser.add_argument(
            "--hold-out", default="", metavar="PAIR",
            help="write the parameters fitted without this pair (to score it with score.py as an unseen pair)",
        )
        parser.add_argument("--json", dest="json_out", default="", help="also write the figures as JSON here")

    def handle(self, *args, **opts):
        # scikit-learn is needed here only; a machine that just runs the tracker never imports it
        from tracker.learning import fit

        try:
            pairs = pairs_build(Path(opts["gold"]), Path(opts["corpus"]))
        except (GoldError, PipelineError) as exc:
            raise CommandError(str(exc)) from exc
        if len(pairs) < 3:
            # each held-out fit nests one more held-out fit for its threshold and spread
            raise CommandError(
                f"{opts['gold']}: leave-one-pair-out with a held-out threshold needs at least three labelled pairs, "
                f"found {len(pairs)}"
            )
        names = [p.name for p in pairs]
        if opts["hold_out"] and opts["hold_out"] not in names:
            raise CommandError(f"{opts['gold']}: no labelled pair {opts['hold_out']} (pairs: {', '.join(names)})")
        held_out = fit.lopo_fit(pairs)
        shipped = fit.held_out_fit(pairs, opts["hold_out"]) if opts["hold_out"] else fit.shipped_fit(pairs)
        figures = {
            "held_out": {p.name: fit.pair_figures(p, held_out[p.name]) for p in pairs},
            "trained_on_all": {p.name: fit.pair_figures(p, shipped.model) for p in pairs},
            "reliability_held_out": fit.reliability_table(pairs, held_out),
            "pledge_reliability_held_out": fit.pledge_reliability_table(pairs, held_out),
        }
        for name in ("held_out", "trained_on_all"):
            self._table(name, figures[name])
        self._reliability(figures["reliability_held_out"], "status of the verdict shown")
        self._reliability(figures["pledge_reliability_held_out"], "is a checkable pledge")
        self.stdout.write(f"scored threshold {shipped.model.threshold:.3f}; interval spread "
                          + ", ".join(f"{s} {shipped.model.residual_sd[s]:.3f}" for s in STATUSES))
        if opts["json_out"]:
            Path(opts["json_out"]).write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
        if opts["dry_run"]:
            return
        self._write(Path(opts["out"]), shipped.params)
        if not opts["hold_out"]:
            # what the method page shows: the same figures, beside the parameters they describe
            self._write(Path(opts["out"]).with_name(Path(opts["out"]).stem + "_figures.json"), _rounded(figures))
        trained = ", ".join(shipped.params["trained_on"])
        self.stdout.write(f"parameters fitted on {trained} -> {opts['out']}")

    def _table(self, title: str, rows: dict) -> None:
        self.stdout.write(f"\n{title}:")
        heads = ("recall", "prec", "ceiling", "rules", "model", "error", "covers", "width")
        self.stdout.write(f"{'pair':<16}" + "".join(f"{h:>8}" for h in heads))
        for name, f in rows.items():
            self.stdout.write(
                f"{name:<16}{f['recall']:>8.3f}{f['precision']:>8.3f}{f['precision_ceiling']:>8.3f}"
                f"{f['rule_accuracy']:>8.3f}{f['model_accuracy']:>8.3f}"
                f"{f['scorecard_error']:>8.3f}{f['covers']:>6}/4{f['width']:>8.3f}"
            )
        n = len(rows)
        self.stdout.write(
            f"{'mean':<16}{sum(f['recall'] for f in rows.values()) / n:>8.3f}"
            f"{sum(f['precision'] for f in rows.values()) / n:>8.3f}"
            f"{sum(f['precision_ceiling'] for f in rows.values()) / n:>8.3f}"
            f"{sum(f['rule_accuracy'] for f in rows.values()) / n:>8.3f}"
            f"{sum(f['model_accuracy'] for f in rows.values()) / n:>8.3f}"
            f"{sum(f['scorecard_error'] for f in rows.values()) / n:>8.3f}"
            f"{sum(f['covers'] for f in rows.values()) / (4 * n):>8.2f}"
            f"{sum(f['width'] for f in rows.values()) / n:>8.3f}   (max error "
            f"{max(f['scorecard_error'] for f in rows.values()):.3f})"
        )

    def _reliability(self, table: list[dict], what: str) -> None:
        self.stdout.write(f"\nreliability held out ({what}): stated -> observed (n)")
        for row in table:
            if row["n"]:
                self.stdout.write(f"  {row['lo']:.1f}-{row['hi']:.1f}: {row['stated']:.2f} -> {row['observed']:.2f} ({row['n']})")

    def _write(self, path: Path, params: dict) -> None:
        # Written whole or not at all: a cut-off run leaves the previous parameters in place.
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".model-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(params, fh, ensure_ascii=False, indent=0)
                fh.write("\n")
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
