"""The database itself refuses duplicates and impossible rows."""

import pytest
from django.db import IntegrityError, transaction

from tests.factories import DocumentFactory, EvidenceFactory, JurisdictionFactory, PledgeFactory, VerdictFactory
from tracker.models import Jurisdiction, Level

pytestmark = pytest.mark.django_db


def _refused(make) -> bool:
    try:
        with transaction.atomic():
            make()
    except IntegrityError:
        return True
    return False


def test_top_level_jurisdiction_names_are_unique():
    Jurisdiction.objects.create(name="浙江省", level=Level.PROVINCE)
    assert _refused(lambda: Jurisdiction.objects.create(name="浙江省", level=Level.PROVINCE))


def test_same_city_name_allowed_under_different_parents():
    a = JurisdictionFactory(name="甲省")
    b = JurisdictionFactory(name="乙省")
    Jurisdiction.objects.create(name="新区", level=Level.DISTRICT, parent=a)
    Jurisdiction.objects.create(name="新区", level=Level.DISTRICT, parent=b)
    assert _refused(lambda: Jurisdiction.objects.create(name="新区", level=Level.DISTRICT, parent=a))


def test_document_hash_unique_per_jurisdiction():
    doc = DocumentFactory(content_hash="a" * 64)
    assert _refused(lambda: DocumentFactory(jurisdiction=doc.jurisdiction, content_hash="a" * 64))
    DocumentFactory(content_hash="a" * 64)  # another government may publish the same text


def test_document_year_range():
    assert _refused(lambda: DocumentFactory(year=1800))


def test_pledge_span_unique_and_ordered():
    pledge = PledgeFactory(start=10, end=20)
    assert _refused(lambda: PledgeFactory(section=pledge.section, start=10, end=20))
    assert _refused(lambda: PledgeFactory(section=pledge.section, start=30, end=30))


def test_verdict_confidence_range_and_override_reason():
    assert _refused(lambda: VerdictFactory(machine_confidence=1.5))
    assert _refused(lambda: VerdictFactory(override_status="fulfilled", override_reason=""))


def test_one_verdict_per_pledge():
    verdict = VerdictFactory()
    assert _refused(lambda: VerdictFactory(pledge=verdict.pledge))


def test_evidence_span_unique_per_pledge():
    evidence = EvidenceFactory(start=5, end=15)
    assert _refused(
        lambda: EvidenceFactory(pledge=evidence.pledge, review_document=evidence.review_document, start=5, end=15)
    )
