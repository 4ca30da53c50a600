"""The house rules that keep the layers apart."""

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PIPELINE = REPO / "tracker" / "pipeline"


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_pipeline_modules_never_import_django():
    offenders = {p.name for p in PIPELINE.rglob("*.py") if {"django", "rest_framework", "celery"} & _imports(p)}
    assert not offenders, f"pipeline/ must stay free of Django: {sorted(offenders)}"


def test_running_the_pipeline_loads_no_django():
    code = (
        "import sys, importlib, pkgutil, tracker.pipeline as p\n"
        "for m in pkgutil.iter_modules(p.__path__):\n"
        "    importlib.import_module('tracker.pipeline.' + m.name)\n"
        # Running, not only importing: a function must not pull Django in lazily either.
        "from tracker.pipeline.read import document_read, report_with_plan\n"
        "from tracker.pipeline.judge import pledges_judge\n"
        "doc = document_read('x.txt', '二、2025年工作安排\\n新建学校3所。'.encode(), 2025)\n"
        "report = report_with_plan(doc, 2025)\n"
        "pledges_judge(report.pledges, '一、2024年工作回顾\\n新建学校3所。', [], 2025)\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('django', 'celery', 'rest_framework')]\n"
        "print(','.join(bad))\n"
    )
    # tracker/__init__.py is empty, so importing the pipeline must not pull Django in.
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_tasks_take_ids_only():
    tree = ast.parse((REPO / "tracker" / "tasks.py").read_text(encoding="utf-8"))
    for fn in [n for n in tree.body if isinstance(n, ast.FunctionDef)]:
        for arg in fn.args.args:
            assert arg.annotation is not None and ast.unparse(arg.annotation) in {"int", "int | None"}, (
                f"{fn.name}({arg.arg}) must take an id"
            )
