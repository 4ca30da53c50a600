from __future__ import annotations

from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def corpus() -> Path:
    if not (CORPUS / "MANIFEST.csv").exists():
        pytest.skip(f"corpus not found at {CORPUS} (it lives beside the repository in ../shared/corpus)")
    return CORPUS


def corpus_bytes(corpus: Path, rel: str) -> bytes:
    return (corpus / rel).read_bytes()
