"""`manage.py train`: bad labelled input gets one line naming the file and writes nothing; a run is reproducible."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tracker.pipeline.calibrate import model_load

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
DEV = SHARED / "eval" / "dev"
CORPUS = SHARED / "corpus"
SMALL = ("national-2023", "national-2024", "zhejiang-2025")


@pytest.fixture
def gold(tmp_path) -> Path:
    if not DEV.is_dir():
        pytest.skip(f"labelled pairs not found at {DEV}")
    folder = tmp_path / "gold"
    folder.mkdir()
    for pair in SMALL:
        for suffix in (".meta.json", ".jsonl"):
            shutil.copy(DEV / f"{pair}{suffix}", folder / f"{pair}{suffix}")
    return folder


def _train(gold: Path, out: Path, **extra) -> None:
    call_command("train", gold=str(gold), corpus=str(CORPUS), out=str(out), **extra)


def test_a_missing_gold_folder_is_named(tmp_path):
    out = tmp_path / "model.json"
    with pytest.raises(CommandError, match="nowhere: no such folder"):
        _train(tmp_path / "nowhere", out)
    assert not out.exists()


def test_a_pair_whose_files_are_absent_is_named(gold, tmp_path):
    meta = gold / "national-2024.meta.json"
    data = json.loads(meta.read_text(encoding="utf-8"))
    data["review_file"] = "national/1999-missing.txt"
    meta.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "model.json"
    with pytest.raises(CommandError, match=r"1999-missing.txt: corpus file of pair national-2024 is missing"):
        _train(gold, out)
    assert not out.exists()


def test_a_label_file_missing_is_named(gold, tmp_path):
    (gold / "zhejiang-2025.jsonl").unlink()
    with pytest.raises(CommandError, match=r"zhejiang-2025.jsonl: label file missing"):
        _train(gold, tmp_path / "model.json")


def test_a_label_file_with_bad_json_is_named_with_its_line_and_nothing_is_written(gold, tmp_path):
    labels = gold / "national-2023.jsonl"
    lines = labels.read_text(encoding="utf-8").splitlines()
    lines[4] = lines[4][:-7]  # cut mid-object
    labels.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "model.json"
    out.write_text("previous parameters", encoding="utf-8")
    with pytest.raises(CommandError, match=r"national-2023.jsonl:5: bad JSON"):
        _train(gold, out)
    assert out.read_text(encoding="utf-8") == "previous parameters"


def test_a_bad_status_is_named(gold, tmp_path):
    labels = gold / "national-2023.jsonl"
    lines = labels.read_text(encoding="utf-8").splitlines()
    row = json.loads(lines[0])
    row["status"] = "done"
    lines[0] = json.dumps(row, ensure_ascii=False)
    labels.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"national-2023.jsonl:1: needs a 'pledge' text and a status"):
        _train(gold, tmp_path / "model.json")


def test_training_prints_held_out_and_trained_on_all_figures_and_is_reproducible(gold, tmp_path, capsys):
    first, second, figures = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "figures.json"
    _train(gold, first, json_out=str(figures))
    printed = capsys.readouterr().out
    _train(gold, second)
    assert first.read_bytes() == second.read_bytes()
    model = model_load(first)
    assert model.trained_on == SMALL
    assert "held_out:" in printed and "trained_on_all:" in printed and "reliability held out" in printed
    for pair in SMALL:
        assert printed.count(pair) >= 2
    for name, rows in json.loads(figures.read_text(encoding="utf-8")).items():
        if name not in ("held_out", "trained_on_all"):
            continue
        for pair, f in rows.items():
            assert 0.0 < f["precision_ceiling"] <= 1.0
            if f["recall"] >= 0.9:
                # the scored items are one of the sets the ceiling weighs, so it is at least their precision
                assert f["precision"] <= f["precision_ceiling"] + 1e-9, (name, pair)


def test_hold_out_writes_parameters_that_never_saw_the_pair(gold, tmp_path):
    out = tmp_path / "held.json"
    _train(gold, out, hold_out="national-2024")
    assert model_load(out).trained_on == ("national-2023", "zhejiang-2025")
    with pytest.raises(CommandError, match="no labelled pair national-1999"):
        _train(gold, tmp_path / "x.json", hold_out="national-1999")
