"""A small, hand-made tracker: two governments, a plan, its review, verdicts and evidence."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import factories as f
from tracker import models

PLAN_TEXT = (
    "一、2024年工作回顾\n过去一年经济运行稳中有进。\n"
    "二、2025年工作安排\n地区生产总值增长5%左右。新建高标准农田2万亩。建成杭州西站枢纽。\n"
)
REVIEW_TEXT = (
    "一、2025年工作回顾\n地区生产总值增长5.6%。新建高标准农田2.1万亩，超额完成任务。"
    "杭州西站枢纽主体完工。\n二、2026年工作安排\n继续推进高质量发展。\n"
)


@dataclass
class World:
    zhejiang: models.Jurisdiction
    hangzhou: models.Jurisdiction
    plan: models.Document
    review: models.Document
    copy: models.Document
    section: models.Section
    gdp: models.Pledge
    farmland: models.Pledge
    station: models.Pledge
    city_pledge: models.Pledge
    copy_pledge: models.Pledge
    gdp_evidence: models.Evidence
    station_evidence: models.Evidence


def _span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def _pledge(section: models.Section, needle: str, kind: str, status: str, confidence: float, **target) -> models.Pledge:
    start, end = _span(section.document.text, needle)
    pledge = f.PledgeFactory(section=section, text=needle, start=start, end=end, kind=kind, **target)
    f.VerdictFactory(pledge=pledge, machine_status=status, machine_confidence=confidence,
                     review_document=None)
    return pledge


def _evidence(pledge: models.Pledge, review: models.Document, needle: str, score: float) -> models.Evidence:
    start, end = _span(review.text, needle)
    models.Verdict.objects.filter(pledge=pledge).update(review_document=review)
    return f.EvidenceFactory(pledge=pledge, review_document=review, text=needle, start=start, end=end, score=score)


@pytest.fixture
def world(db) -> World:
    zhejiang = f.JurisdictionFactory(name="浙江省", level=models.Level.PROVINCE)
    hangzhou = f.JurisdictionFactory(name="杭州市", level=models.Level.CITY, parent=zhejiang)
    plan = f.DocumentFactory(jurisdiction=zhejiang, year=2025, text=PLAN_TEXT, filename="zj-2025.txt",
                             original_file=b"secret-bytes-never-served", warnings=["year in text: 2023"])
    # The review's original text had 7 characters of site furniture before the report.
    review = f.DocumentFactory(jurisdiction=zhejiang, year=2026, text=REVIEW_TEXT, filename="zj-2026.txt",
                               offset_map=[[0, 7, len(REVIEW_TEXT)]])
    copy = f.DocumentFactory(jurisdiction=zhejiang, year=2025, text=PLAN_TEXT, filename="zj-2025-copy.txt",
                             near_duplicate_of=plan, near_duplicate_similarity=0.97)
    plan_start = PLAN_TEXT.index("二、")
    section = f.SectionFactory(document=plan, kind=models.SectionKind.PLAN, heading="二、2025年工作安排",
                               start=plan_start, end=len(PLAN_TEXT))
    gdp = _pledge(section, "地区生产总值增长5%左右", models.PledgeKind.TARGET, models.Status.FULFILLED, 0.9,
                  target_metric="地区生产总值", target_value=5.0, target_unit="%", target_comparator="about")
    farmland = _pledge(section, "新建高标准农田2万亩", models.PledgeKind.TARGET, models.Status.DROPPED, 0.3)
    station = _pledge(section, "建成杭州西站枢纽", models.PledgeKind.PROJECT, models.Status.PARTIAL, 0.5)
    city_doc = f.DocumentFactory(jurisdiction=hangzhou, year=2025, text=PLAN_TEXT, filename="hz-2025.txt")
    city_section = f.SectionFactory(document=city_doc, start=plan_start, end=len(PLAN_TEXT))
    city_pledge = _pledge(city_section, "建成杭州西站枢纽", models.PledgeKind.PROJECT, models.Status.MISSED, 0.7)
    copy_section = f.SectionFactory(document=copy, start=plan_start, end=len(PLAN_TEXT))
    copy_pledge = _pledge(copy_section, "新建高标准农田2万亩", models.PledgeKind.TARGET, models.Status.FULFILLED, 0.8)
    gdp_evidence = _evidence(gdp, review, "地区生产总值增长5.6%", 88.0)
    station_evidence = _evidence(station, review, "杭州西站枢纽主体完工", 61.0)
    return World(zhejiang, hangzhou, plan, review, copy, section, gdp, farmland, station, city_pledge, copy_pledge,
                 gdp_evidence, station_evidence)


@pytest.fixture
def anon() -> APIClient:
    return APIClient()


@pytest.fixture
def reader(db):
    return f.UserFactory(username="reader")


@pytest.fixture
def curator(db):
    return f.CuratorFactory(username="curator")


def _token_client(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def reader_client(reader) -> APIClient:
    return _token_client(reader)


@pytest.fixture
def curator_client(curator) -> APIClient:
    return _token_client(curator)


@pytest.fixture
def operator(db):
    return f.OperatorFactory(username="operator")


@pytest.fixture
def operator_client(operator) -> APIClient:
    """A token holder with tracker.run_tracking."""
    return _token_client(operator)
