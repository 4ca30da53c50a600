"""Shared inputs for the bad-input tests: real report text and builders of real containers."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tracker.pipeline.types import PipelineError, ReadDocument

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "data" / "samples"
FIXTURES = REPO / "tests" / "fixtures"


def report_text() -> str:
    return (SAMPLES / "national-2024.txt").read_text(encoding="utf-8")


def docx_bytes(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def pdf_bytes() -> bytes:
    return (FIXTURES / "national-2023-excerpt.pdf").read_bytes()


def assert_one_line_error(exc: PipelineError, name: str) -> str:
    message = str(exc)
    assert message.startswith(name + ": "), message
    assert "\n" not in message and len(message) < 300, message
    return message


def assert_valid_read(doc: ReadDocument) -> None:
    """Every span indexes the cleaned text; the offset map is ordered and stays inside both texts."""
    text = doc.text
    for report in doc.reports:
        assert 0 <= report.start <= report.end <= len(text)
        for section in report.sections:
            assert 0 <= section.start <= section.end <= len(text), section
        for pledge in report.pledges:
            assert 0 <= pledge.start < pledge.end <= len(text), pledge
            assert pledge.text == text[pledge.start : pledge.end]
            assert any(s.start == pledge.section_start for s in report.sections)
    previous_clean, previous_orig = -1, -1
    for clean_start, orig_start, length in doc.offset_map:
        assert length > 0
        assert clean_start > previous_clean and orig_start > previous_orig
        assert clean_start + length <= len(text) and orig_start + length <= len(doc.original)
        previous_clean, previous_orig = clean_start + length - 1, orig_start + length - 1
    for i in (0, len(text) // 2, len(text)):
        assert 0 <= doc.to_original(i) <= len(doc.original)


@pytest.fixture
def report() -> str:
    return report_text()
