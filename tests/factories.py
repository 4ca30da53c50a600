"""factory_boy factories for hand-made rows (the corpus tests ingest real files instead)."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from tracker import models


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-for-tests")


class CuratorFactory(UserFactory):
    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def curate(self, create, extracted, **kwargs):
        if create:
            self.user_permissions.add(Permission.objects.get(codename="curate_verdict"))


class OperatorFactory(UserFactory):
    """May re-run processing and tracking (tracker.run_tracking)."""

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def run_tracking(self, create, extracted, **kwargs):
        if create:
            self.user_permissions.add(Permission.objects.get(codename="run_tracking"))


class JurisdictionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Jurisdiction
        django_get_or_create = ("name", "parent")

    name = factory.Sequence(lambda n: f"测试省{n}")
    level = models.Level.PROVINCE
    parent = None


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Document

    jurisdiction = factory.SubFactory(JurisdictionFactory)
    year = 2025
    filename = factory.Sequence(lambda n: f"report-{n}.txt")
    text = "一、2024年工作回顾\n新建高标准农田2万亩。\n二、2025年工作安排\n新建高标准农田3万亩。\n"
    original_text = factory.SelfAttribute("text")
    content_hash = factory.Sequence(lambda n: f"{n:064x}")
    original_file = b""
    state = models.ProcessingState.DONE
    plan_report_index = 0
    review_report_index = 0


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Section

    document = factory.SubFactory(DocumentFactory)
    kind = models.SectionKind.PLAN
    heading = "二、2025年工作安排"
    year = 2025
    start = factory.Sequence(lambda n: n * 1000)
    end = factory.LazyAttribute(lambda o: o.start + 900)


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Pledge

    section = factory.SubFactory(SectionFactory)
    document = factory.SelfAttribute("section.document")
    plan_year = 2025
    text = factory.Sequence(lambda n: f"新建高标准农田{n + 1}万亩")
    start = factory.Sequence(lambda n: n * 20)
    end = factory.LazyAttribute(lambda o: o.start + len(o.text))
    kind = models.PledgeKind.TARGET
    section_path = "二、2025年工作安排"


class VerdictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Verdict

    pledge = factory.SubFactory(PledgeFactory)
    machine_status = models.Status.DROPPED
    machine_confidence = 0.5
    status = factory.SelfAttribute("machine_status")
    confidence = factory.SelfAttribute("machine_confidence")


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Evidence

    pledge = factory.SubFactory(PledgeFactory)
    review_document = factory.SubFactory(DocumentFactory, year=2026)
    text = "新建高标准农田2万亩"
    start = factory.Sequence(lambda n: n * 30)
    end = factory.LazyAttribute(lambda o: o.start + len(o.text))
    score = 80.0


class NearestPassageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.NearestPassage

    pledge = factory.SubFactory(PledgeFactory)
    review_document = factory.SubFactory(DocumentFactory, year=2026)
    text = "杭州西站枢纽加快建设"
    start = factory.Sequence(lambda n: n * 30)
    end = factory.LazyAttribute(lambda o: o.start + len(o.text))
    score = 35.0
    rank = factory.Sequence(lambda n: n + 1)
