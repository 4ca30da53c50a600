from pathlib import Path

import pytest

from tracker import services
from tracker.models import Level

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


@pytest.fixture
def sample_bytes():
    def read(name: str) -> bytes:
        return (SAMPLES / name).read_bytes()

    return read


@pytest.fixture
def national(db):
    return services.jurisdiction_get_or_create(name="国务院", level=Level.NATIONAL)


@pytest.fixture
def national_pair(national, sample_bytes):
    """The State Council's 2023 plan and the 2024 report that reviews it, processed."""
    plan = services.document_ingest(
        filename="national-2023.txt", data=sample_bytes("national-2023.txt"), jurisdiction=national, year=2023
    )
    review = services.document_ingest(
        filename="national-2024.txt", data=sample_bytes("national-2024.txt"), jurisdiction=national, year=2024
    )
    return plan, review
