"""The reading half is plain Python: importing and running it must not load Django."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_reading_modules_do_not_import_django() -> None:
    code = (
        "import sys\n"
        "from tracker.pipeline.read import document_read\n"
        "from tracker.pipeline import ingest, clean, fold, segment, extract, targets, similarity\n"
        "document_read('x.txt', '二、2025年工作安排\\n新建学校3所。'.encode(), 2025)\n"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
