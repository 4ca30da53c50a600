"""document_ingest / document_process: idempotent, refuses bad input, never loses rows."""

import pytest

from tracker import services
from tracker.models import Document, Pledge, ProcessingState, Section, SectionKind

pytestmark = pytest.mark.django_db


def test_ingest_real_report_finds_review_plan_and_pledges(national, sample_bytes):
    doc = services.document_ingest(
        filename="national-2024.txt", data=sample_bytes("national-2024.txt"), jurisdiction=national, year=2024
    )
    assert doc.state == ProcessingState.DONE, doc.error
    kinds = set(doc.sections.values_list("kind", flat=True))
    assert {SectionKind.REVIEW, SectionKind.PLAN} <= kinds
    assert doc.pledges.count() > 50
    # Every stored span points at its own text in the cleaned document.
    for pledge in doc.pledges.all()[:50]:
        assert doc.text[pledge.start : pledge.end] == pledge.text


def test_ingesting_the_same_file_twice_leaves_one_document(national, sample_bytes):
    data = sample_bytes("national-2023.txt")
    first = services.document_ingest(filename="a.txt", data=data, jurisdiction=national, year=2023)
    counts = (Document.objects.count(), Section.objects.count(), Pledge.objects.count())
    second = services.document_ingest(filename="copy.txt", data=data, jurisdiction=national, year=2023)
    assert second.pk == first.pk
    assert (Document.objects.count(), Section.objects.count(), Pledge.objects.count()) == counts


def test_reprocessing_keeps_row_ids(national, sample_bytes):
    doc = services.document_ingest(
        filename="n.txt", data=sample_bytes("national-2023.txt"), jurisdiction=national, year=2023
    )
    ids = set(doc.pledges.values_list("pk", flat=True))
    services.document_process(doc.pk)
    assert set(doc.pledges.values_list("pk", flat=True)) == ids


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty"),
        (bytes(range(256)) * 40, ""),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, ""),
    ],
)
def test_bad_bytes_are_refused_before_any_row(national, data, problem):
    with pytest.raises(services.IngestError) as err:
        services.document_ingest(filename="bad.txt", data=data, jurisdiction=national, year=2024)
    assert "bad.txt" in str(err.value)
    assert problem in str(err.value).lower()
    assert Document.objects.count() == 0


def test_year_out_of_range_is_refused(national, sample_bytes):
    with pytest.raises(services.IngestError, match="year 3024"):
        services.document_ingest(filename="x.txt", data=sample_bytes("national-2023.txt"), jurisdiction=national, year=3024)
    assert Document.objects.count() == 0


def test_text_without_plan_or_review_is_stored_as_failed(national):
    data = ("各位代表：感谢大家。" * 50).encode("utf-8")
    doc = services.document_ingest(filename="greeting.txt", data=data, jurisdiction=national, year=2024)
    assert doc.state == ProcessingState.FAILED
    assert "greeting.txt" in doc.error
    assert doc.pledges.count() == 0


def test_failed_reprocessing_keeps_earlier_rows(national, sample_bytes, monkeypatch):
    doc = services.document_ingest(
        filename="n.txt", data=sample_bytes("national-2023.txt"), jurisdiction=national, year=2023
    )
    pledges = doc.pledges.count()

    def broken(*args, **kwargs):
        raise RuntimeError("pipeline bug")

    monkeypatch.setattr(services, "document_read", broken)
    doc = services.document_process(doc.pk)
    assert doc.state == ProcessingState.FAILED
    assert "n.txt" in doc.error and "pipeline bug" in doc.error
    assert doc.pledges.count() == pledges


def test_docx_report_is_read(sample_bytes):
    from tracker.models import Level

    zhejiang = services.jurisdiction_get_or_create(name="浙江省", level=Level.PROVINCE)
    doc = services.document_ingest(
        filename="zhejiang-2025.docx", data=sample_bytes("zhejiang-2025.docx"), jurisdiction=zhejiang, year=2025
    )
    assert doc.state == ProcessingState.DONE, doc.error
    assert doc.format == "docx"
    assert doc.pledges.count() > 50


def test_file_names_are_shown_on_one_line_without_their_folder(national):
    with pytest.raises(services.IngestError) as err:
        services.document_ingest(filename="/tmp/evil\nname.txt", data=b"", jurisdiction=national, year=2024)
    message = str(err.value)
    assert "\n" not in message and message.startswith("evil name.txt:")


def test_two_web_copies_of_one_plan_are_near_duplicates(corpus):
    """Seeds 000 and 001: the same district plan copied by two sites (001 cut off early)."""
    from tracker.models import Level

    district = services.jurisdiction_get_or_create(name="某区", level=Level.DISTRICT)
    seeds = sorted((corpus / "seeds").glob("00[01]_*.txt"))
    first = services.document_ingest(filename=seeds[0].name, data=seeds[0].read_bytes(), jurisdiction=district, year=2023)
    second = services.document_ingest(filename=seeds[1].name, data=seeds[1].read_bytes(), jurisdiction=district, year=2023)
    assert first.state == second.state == ProcessingState.DONE, (first.error, second.error)
    assert first.near_duplicate_of is None and not first.truncated
    assert second.near_duplicate_of_id == first.pk and second.truncated
    assert second.near_duplicate_similarity >= services.NEAR_DUPLICATE_THRESHOLD
