"""The tracker's data: who governs, what they published, what they promised, what became of it.

Uniqueness lives in the database so that every service can be re-run (and every
Celery task redelivered) without duplicating rows.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Level(models.TextChoices):
    NATIONAL = "national", _("national")
    PROVINCE = "province", _("province")
    CITY = "city", _("city")
    DISTRICT = "district", _("district")
    COUNTY = "county", _("county")
    TOWN = "town", _("town")


class SectionKind(models.TextChoices):
    REVIEW = "review", _("review")
    PLAN = "plan", _("plan")
    FIVE_YEAR_REVIEW = "five_year_review", _("five-year review")
    FIVE_YEAR_PLAN = "five_year_plan", _("five-year plan")
    OTHER = "other", _("other")


class PledgeKind(models.TextChoices):
    TARGET = "target", _("target")
    PROJECT = "project", _("project")
    ACTION = "action", _("action")


class Comparator(models.TextChoices):
    AT_LEAST = "at_least", _("at least")
    AT_MOST = "at_most", _("at most")
    ABOUT = "about", _("about")
    EXACT = "exact", _("exact")
    RANGE = "range", _("range")


class Status(models.TextChoices):
    FULFILLED = "fulfilled", _("fulfilled")
    PARTIAL = "partial", _("partial")
    MISSED = "missed", _("missed")
    DROPPED = "dropped", _("dropped")
    PENDING = "pending", _("pending")


class ProcessingState(models.TextChoices):
    QUEUED = "queued", _("queued")
    PROCESSING = "processing", _("processing")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class Jurisdiction(models.Model):
    name = models.CharField(max_length=100)
    level = models.CharField(max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = _("government")
        verbose_name_plural = _("governments")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "parent"], name="jurisdiction_name_per_parent"),
            # NULL parents never collide in a plain unique index, so top-level names get their own.
            models.UniqueConstraint(
                fields=["name"], condition=Q(parent__isnull=True), name="jurisdiction_top_level_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Document(models.Model):
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="documents",
                                     verbose_name=_("government"))
    year = models.PositiveSmallIntegerField(help_text="The year the report was delivered.")
    title = models.CharField(max_length=300, blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    # The day the report was read to the congress, when known; `year` alone is always known.
    delivered_on = models.DateField(null=True, blank=True)
    filename = models.CharField(max_length=255)
    # Kept in the database, not on a local disk, so a worker on another machine can read it.
    original_file = models.BinaryField(editable=False)
    format = models.CharField(max_length=10, blank=True)
    encoding = models.CharField(max_length=20, blank=True)
    original_text = models.TextField(blank=True)
    text = models.TextField(blank=True, help_text="Cleaned text; every span indexes it.")
    offset_map = models.JSONField(default=list, blank=True)
    content_hash = models.CharField(max_length=64)
    state = models.CharField(max_length=12, choices=ProcessingState.choices, default=ProcessingState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    # When `state` last changed: the stuck sweep (services.stuck_sweep) measures how long a
    # document has been queued or processing from here.
    state_changed_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Times the sweep found it still processing past the time limit (its worker died, or the
    # database was cut); past TRACKER_STUCK_REQUEUES it is failed instead of re-queued.
    stuck_count = models.PositiveSmallIntegerField(default=0)
    warnings = models.JSONField(default=list, blank=True)
    truncated = models.BooleanField(default=False)
    near_duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="near_duplicates"
    )
    near_duplicate_similarity = models.FloatField(null=True, blank=True)
    # Which report of a multi-report file holds the plan for `year` and the review of `year - 1`.
    plan_report_index = models.PositiveSmallIntegerField(null=True, blank=True)
    review_report_index = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["jurisdiction__name", "year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "content_hash"], name="document_hash_per_jurisdiction"),
            models.CheckConstraint(condition=Q(year__gte=1949, year__lte=2100), name="document_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction} {self.year} ({self.filename})"


class Section(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="sections")
    report_index = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=SectionKind.choices)
    heading = models.CharField(max_length=500, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["document", "start"]
        constraints = [
            models.UniqueConstraint(fields=["document", "start"], name="section_start_per_document"),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="section_span_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.heading[:40]}"


class Pledge(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="pledges")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="pledges")
    plan_year = models.PositiveSmallIntegerField(_("plan year"))
    text = models.TextField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    kind = models.CharField(_("kind"), max_length=10, choices=PledgeKind.choices)
    section_path = models.CharField(max_length=500, blank=True)
    target_metric = models.CharField(max_length=100, blank=True)
    target_value = models.FloatField(null=True, blank=True)
    target_value_max = models.FloatField(null=True, blank=True)
    target_unit = models.CharField(max_length=20, blank=True)
    target_comparator = models.CharField(max_length=10, choices=Comparator.choices, blank=True)
    target_direction = models.CharField(max_length=10, blank=True)

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["document", "start"]
        constraints = [
            models.UniqueConstraint(fields=["document", "start", "end"], name="pledge_span_per_document"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="pledge_span_order"),
        ]
        indexes = [models.Index(fields=["plan_year", "kind"])]

    def __str__(self) -> str:
        return self.text[:60]


class Tracking(models.Model):
    """One plan document checked against the review of the same year (or pending)."""

    plan_document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="trackings_as_plan")
    review_document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="trackings_as_review"
    )
    plan_year = models.PositiveSmallIntegerField()
    state = models.CharField(max_length=12, choices=ProcessingState.choices, default=ProcessingState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # As on Document: for the stuck sweep.
    state_changed_at = models.DateTimeField(default=timezone.now, db_index=True)
    stuck_count = models.PositiveSmallIntegerField(default=0)
    # The estimated share of each status among the scored pledges and its 80% interval
    # (calibrate.scorecard_estimate), refreshed after every run and every curation.
    scorecard = models.JSONField(null=True, blank=True)
    scorecard_interval = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("tracking")
        verbose_name_plural = _("trackings")
        # Re-tracking replaces machine output for a whole plan and races curators' screens, so
        # it is granted, not open to any token holder.
        permissions = [("run_tracking", "Can re-run processing and tracking")]
        constraints = [
            models.UniqueConstraint(fields=["plan_document", "plan_year"], name="tracking_per_plan_year"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_document} -> {self.review_document or 'pending'}"


class Verdict(models.Model):
    """What became of a pledge: the machine's status, and a curator's override that wins."""

    pledge = models.OneToOneField(Pledge, on_delete=models.CASCADE, related_name="verdict")
    review_document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    machine_status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    machine_confidence = models.FloatField(default=0.0)
    machine_actual = models.JSONField(null=True, blank=True)
    override_status = models.CharField(max_length=10, choices=Status.choices, blank=True)
    override_reason = models.TextField(blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    override_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # Denormalised effective values so lists and scorecards filter on one column.
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    confidence = models.FloatField(default=0.0, db_index=True)
    # The learned models (pipeline/calibrate.py): how likely the item is a checkable pledge, and
    # the probability of each status. A general commitment (machine_scored False) is listed,
    # never counted; a curator's "is / is not a pledge" (scored_override) wins and survives re-runs.
    p_pledge = models.FloatField(_("probability of being a checkable pledge"), default=1.0)
    machine_scored = models.BooleanField(default=True)
    scored_override = models.BooleanField(null=True, blank=True)
    scored_reason = models.TextField(blank=True)
    scored = models.BooleanField(_("scored"), default=True, db_index=True)
    probabilities = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("verdict")
        verbose_name_plural = _("verdicts")
        permissions = [("curate_verdict", "Can curate verdicts and evidence")]
        constraints = [
            models.CheckConstraint(
                condition=Q(machine_confidence__gte=0, machine_confidence__lte=1, confidence__gte=0, confidence__lte=1),
                name="verdict_confidence_range",
            ),
            models.CheckConstraint(
                condition=Q(override_status="") | ~Q(override_reason=""), name="verdict_override_needs_reason"
            ),
        ]

    @property
    def is_overridden(self) -> bool:
        return bool(self.override_status)

    @property
    def probability(self) -> float | None:
        """Probability of the status shown: 1 once a person decided it, None while pending."""
        if self.override_status or self.confirmed_at is not None:
            return 1.0
        return self.probabilities.get(self.status) if self.probabilities else None

    @property
    def is_human_confirmed(self) -> bool:
        return self.is_overridden or self.confirmed_at is not None

    def __str__(self) -> str:
        return f"{self.pledge_id}: {self.status}"


class EvidenceOrigin(models.TextChoices):
    MACHINE = "machine", _("machine")
    CURATOR = "curator", _("curator")


class Curation(models.TextChoices):
    NONE = "", _("not curated")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")


class Evidence(models.Model):
    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="evidence")
    review_document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="evidence_spans")
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence")
    text = models.TextField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    score = models.FloatField(default=0.0)
    origin = models.CharField(max_length=10, choices=EvidenceOrigin.choices, default=EvidenceOrigin.MACHINE)
    curation = models.CharField(max_length=10, choices=Curation.choices, blank=True, default="")
    curated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    curated_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence span")
        verbose_name_plural = _("evidence")
        ordering = ["pledge", "-score", "start"]
        constraints = [
            models.UniqueConstraint(fields=["pledge", "review_document", "start", "end"], name="evidence_span_per_pledge"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="evidence_span_order"),
        ]

    @property
    def is_curated(self) -> bool:
        return self.origin == EvidenceOrigin.CURATOR or bool(self.curation)

    def __str__(self) -> str:
        return self.text[:60]


class NearestPassage(models.Model):
    """A review passage close to a pledge the machine judged dropped, below the matching threshold.

    Not evidence: it is where a curator (or a reader) checks that the review really is silent,
    since word matching misses answers written in other words. Machine output only, replaced
    on every re-run; a curator who finds the answer here adds it as evidence.
    """

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="nearest_passages")
    review_document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    score = models.FloatField(default=0.0)
    rank = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("nearest passage")
        verbose_name_plural = _("nearest passages")
        ordering = ["pledge", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["pledge", "review_document", "start", "end"], name="nearest_span_per_pledge"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="nearest_span_order"),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class ChainKind(models.TextChoices):
    REPEATED = "repeated", _("repeated")
    CONTINUED = "continued", _("continued")
    TARGET_RAISED = "target_raised", _("target raised")
    TARGET_LOWERED = "target_lowered", _("target lowered")


class ChainCuration(models.TextChoices):
    NONE = "", _("not curated")
    CONFIRMED = "confirmed", _("confirmed")
    BROKEN = "broken", _("broken")


class ChainLink(models.Model):
    """A pledge of one plan that repeats or continues a pledge of the government's previous plan.

    Machine links are replaced on every re-run; a link a curator confirmed or broke is never
    changed or deleted by the machine (a broken link stays, hidden, so it is never proposed again).
    """

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="chain_links_back")
    previous = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="chain_links_forward")
    # Denormalised so a government's lists filter on one column.
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="chain_links")
    kind = models.CharField(max_length=16, choices=ChainKind.choices)
    similarity = models.FloatField(default=0.0)
    basis = models.CharField(max_length=10, default="text", help_text="target (same metric) or text")
    years_apart = models.PositiveSmallIntegerField(default=1, help_text="more than 1: the years between are missing")
    curation = models.CharField(max_length=10, choices=ChainCuration.choices, blank=True, default="")
    curated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    curated_at = models.DateTimeField(null=True, blank=True)
    curation_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chain link")
        verbose_name_plural = _("chain links")
        ordering = ["jurisdiction", "pledge__plan_year", "pledge__start"]
        constraints = [
            models.UniqueConstraint(fields=["pledge", "previous"], name="chain_link_per_pair"),
            models.CheckConstraint(condition=Q(years_apart__gte=1), name="chain_link_years_apart"),
            models.CheckConstraint(condition=Q(similarity__gte=0, similarity__lte=1), name="chain_link_similarity_range"),
        ]
        indexes = [models.Index(fields=["jurisdiction", "kind"])]

    @property
    def gap(self) -> bool:
        return self.years_apart > 1

    @property
    def is_curated(self) -> bool:
        return bool(self.curation)

    def __str__(self) -> str:
        return f"{self.previous_id} -> {self.pledge_id} ({self.kind})"
