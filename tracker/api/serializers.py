"""Shapes of the API: flat rows for lists (the same names as the CSV columns), nested detail.

Serializers only translate; every read comes from tracker.selectors and every
write goes through tracker.services.
"""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tracker import selectors
from tracker.models import (
    Comparator,
    Document,
    Evidence,
    Jurisdiction,
    Level,
    NearestPassage,
    Pledge,
    Section,
    Status,
    Tracking,
    Verdict,
)
from tracker.pipeline.types import offset_to_original

BIGINT_MAX = 2**63 - 1


class RowField(serializers.PrimaryKeyRelatedField):
    """A primary key that never reaches the database out of the bigint range (that would be a 500)."""

    def to_internal_value(self, data):
        try:
            value = int(data)
        except (TypeError, ValueError):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 0 < value <= BIGINT_MAX:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(value)


def verdict_of(pledge: Pledge) -> Verdict | None:
    """The pledge's verdict, or None before it was ever judged.

    The reverse one-to-one raises RelatedObjectDoesNotExist, an AttributeError, so getattr's default applies.
    """
    return getattr(pledge, "verdict", None)


# --- reads --------------------------------------------------------------------------


class JurisdictionSerializer(serializers.ModelSerializer):
    parent_name = serializers.CharField(source="parent.name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Jurisdiction
        fields = ["id", "name", "level", "parent", "parent_name"]


JURISDICTION_CSV_COLUMNS = {"id": "id", "name": "name", "level": "level", "parent": "parent_id", "parent_name": "parent__name"}


class SectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Section
        fields = ["id", "report_index", "kind", "heading", "year", "start", "end"]


class DocumentSerializer(serializers.ModelSerializer):
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    level = serializers.CharField(source="jurisdiction.level", read_only=True)
    pledge_count = serializers.IntegerField(read_only=True, default=0)
    url = serializers.HyperlinkedIdentityField(view_name="api:document-detail")
    # Blank when unknown, so not a `uri` in the schema.
    source_url = serializers.CharField(read_only=True)

    class Meta:
        model = Document
        fields = [
            "id", "url", "jurisdiction", "jurisdiction_name", "level", "year", "title", "source_url", "filename",
            "format", "encoding", "state", "progress", "error", "warnings", "truncated", "near_duplicate_of",
            "near_duplicate_similarity", "plan_report_index", "review_report_index", "pledge_count",
            "created_at", "updated_at",
        ]
        read_only_fields = fields


class DocumentDetailSerializer(DocumentSerializer):
    sections = SectionSerializer(many=True, read_only=True)

    class Meta(DocumentSerializer.Meta):
        fields = [*DocumentSerializer.Meta.fields, "sections"]
        read_only_fields = fields


DOCUMENT_CSV_COLUMNS = {
    "id": "id", "jurisdiction": "jurisdiction_id", "jurisdiction_name": "jurisdiction__name",
    "level": "jurisdiction__level", "year": "year", "title": "title", "source_url": "source_url", "filename": "filename",
    "format": "format", "state": "state", "progress": "progress", "truncated": "truncated",
    "near_duplicate_of": "near_duplicate_of_id", "near_duplicate_similarity": "near_duplicate_similarity",
    "pledge_count": "pledge_count", "created_at": "created_at",
}


class PledgeSerializer(serializers.ModelSerializer):
    """One list row; the field names are the CSV columns."""

    jurisdiction = serializers.IntegerField(source="document.jurisdiction_id", read_only=True)
    jurisdiction_name = serializers.CharField(source="document.jurisdiction.name", read_only=True)
    level = serializers.ChoiceField(source="document.jurisdiction.level", choices=Level.choices, read_only=True)
    section_kind = serializers.CharField(source="section.kind", read_only=True)
    section_heading = serializers.CharField(source="section.heading", read_only=True)
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)
    confidence = serializers.FloatField(read_only=True)
    scored = serializers.BooleanField(
        read_only=True, help_text="False for a general commitment: listed, never counted in a scorecard or aggregate."
    )
    p_pledge = serializers.FloatField(read_only=True, help_text="The model's probability that this is a checkable pledge.")
    probability = serializers.FloatField(
        read_only=True, allow_null=True,
        help_text="Calibrated probability of the status shown: 1 once a person checked it, null while pending.",
    )
    overridden = serializers.SerializerMethodField()
    url = serializers.HyperlinkedIdentityField(view_name="api:pledge-detail")
    target_comparator = serializers.ChoiceField(choices=Comparator.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Pledge
        fields = [
            "id", "url", "jurisdiction", "jurisdiction_name", "level", "document", "plan_year", "section",
            "section_kind", "section_heading", "section_path", "kind", "text", "start", "end", "status", "confidence",
            "scored", "p_pledge", "probability", "overridden",
            "target_metric", "target_value", "target_value_max", "target_unit", "target_comparator",
            "target_direction",
        ]
        read_only_fields = fields

    def get_overridden(self, pledge: Pledge) -> bool:
        verdict = verdict_of(pledge)
        return bool(verdict and verdict.override_status)


PLEDGE_CSV_COLUMNS = {
    "id": "id", "jurisdiction": "document__jurisdiction_id", "jurisdiction_name": "document__jurisdiction__name",
    "level": "document__jurisdiction__level", "document": "document_id", "plan_year": "plan_year", "section": "section_id",
    "section_kind": "section__kind", "section_heading": "section__heading", "section_path": "section_path", "kind": "kind",
    "text": "text", "start": "start", "end": "end", "status": "status", "confidence": "confidence",
    "override_status": "verdict__override_status", "target_metric": "target_metric", "target_value": "target_value",
    "target_value_max": "target_value_max", "target_unit": "target_unit", "target_comparator": "target_comparator",
    "target_direction": "target_direction",
    # added after the first published header: new columns go last, existing ones keep their place
    "scored": "scored", "p_pledge": "p_pledge", "probability": "probability",
}


class PledgeRowSerializer(serializers.BaseSerializer):
    """PledgeSerializer's exact shape, built from a values() row: no model instances on the hot list path.

    A page of 50 serialized this way costs ~0.5 ms instead of ~4.5 ms plus the
    instantiation of 250 related objects. PledgeSerializer stays the documented
    shape (OpenAPI); a test asserts both give identical rows.
    """

    paths = PLEDGE_CSV_COLUMNS

    def to_representation(self, row: dict) -> dict:
        out = {"id": row["id"], "url": f"{self.context['detail_prefix']}{row['id']}/"}
        for name in PledgeSerializer.Meta.fields[2:]:
            if name == "overridden":
                out[name] = bool(row["verdict__override_status"])
            else:
                out[name] = row[self.paths[name]]
        return out


class ReviewSpanOffsets(serializers.Serializer):
    """original_start/original_end of a span of a review: its start/end mapped from the cleaned
    text to the text as decoded from the file, through the review's offset map."""

    original_start = serializers.SerializerMethodField()
    original_end = serializers.SerializerMethodField()

    def get_original_start(self, span: Evidence | NearestPassage) -> int:
        return offset_to_original(span.review_document.offset_map or [], span.start)

    def get_original_end(self, span: Evidence | NearestPassage) -> int:
        return offset_to_original(span.review_document.offset_map or [], span.end)


class EvidenceSerializer(ReviewSpanOffsets, serializers.ModelSerializer):
    """A review span; start/end index the review document's cleaned text, original_* its original text."""

    class Meta:
        model = Evidence
        fields = [
            "id", "pledge", "review_document", "section", "text", "start", "end", "original_start", "original_end",
            "score", "origin", "curation", "curated_at", "version",
        ]
        read_only_fields = fields


class NearestPassageSerializer(ReviewSpanOffsets, serializers.ModelSerializer):
    """A review passage close to a pledge judged dropped, below the matching threshold: not evidence."""

    class Meta:
        model = NearestPassage
        fields = ["rank", "review_document", "text", "start", "end", "original_start", "original_end", "score"]
        read_only_fields = fields


class EvidenceListSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = [
            "id", "pledge", "review_document", "section", "text", "start", "end", "score", "origin", "curation",
            "curated_at", "version",
        ]
        read_only_fields = fields


EVIDENCE_CSV_COLUMNS = {
    "id": "id", "pledge": "pledge_id", "review_document": "review_document_id", "section": "section_id",
    "text": "text", "start": "start",
    "end": "end", "score": "score", "origin": "origin", "curation": "curation", "curated_at": "curated_at",
    "version": "version",
}


class VerdictSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Status.choices)
    confidence = serializers.FloatField()
    machine_status = serializers.ChoiceField(choices=Status.choices)
    machine_confidence = serializers.FloatField()
    machine_actual = serializers.JSONField(allow_null=True)
    review_document = serializers.IntegerField(source="review_document_id", allow_null=True)
    override_status = serializers.CharField(allow_blank=True)
    override_reason = serializers.CharField(allow_blank=True)
    override_by = serializers.CharField(source="override_by.username", allow_null=True, default=None)
    override_at = serializers.DateTimeField(allow_null=True)
    confirmed_by = serializers.CharField(source="confirmed_by.username", allow_null=True, default=None)
    confirmed_at = serializers.DateTimeField(allow_null=True)
    scored = serializers.BooleanField(help_text="Counted in scorecards (a checkable pledge), the curator's call if made.")
    scored_override = serializers.BooleanField(allow_null=True, help_text="A curator's is / is not a pledge; null: the model's.")
    p_pledge = serializers.FloatField(help_text="The model's probability that this is a checkable pledge.")
    probabilities = serializers.DictField(
        child=serializers.FloatField(), help_text="Calibrated probability of each status (empty while pending)."
    )
    probability = serializers.FloatField(
        allow_null=True, help_text="Probability of the status shown: 1 once a person checked it, null while pending."
    )
    version = serializers.IntegerField(help_text="Send it back (If-Match or `version`) with a curation write.")
    updated_at = serializers.DateTimeField()


class VerdictHistorySerializer(serializers.Serializer):
    history_id = serializers.IntegerField()
    history_date = serializers.DateTimeField()
    history_type = serializers.ChoiceField(choices=["+", "~", "-"], help_text="+ created, ~ changed, - deleted")
    user = serializers.CharField(source="history_user.username", allow_null=True, default=None)
    change_reason = serializers.CharField(source="history_change_reason", allow_null=True)
    status = serializers.CharField()
    machine_status = serializers.CharField()
    override_status = serializers.CharField(allow_blank=True)
    override_reason = serializers.CharField(allow_blank=True)
    confidence = serializers.FloatField()
    version = serializers.IntegerField()


class PledgeDetailSerializer(serializers.ModelSerializer):
    jurisdiction = JurisdictionSerializer(source="document.jurisdiction", read_only=True)
    section = SectionSerializer(read_only=True)
    original_start = serializers.SerializerMethodField()
    original_end = serializers.SerializerMethodField()
    verdict = serializers.SerializerMethodField()
    evidence = EvidenceSerializer(source="visible_evidence", many=True, read_only=True)
    nearest = NearestPassageSerializer(
        many=True, read_only=True,
        help_text="For a pledge the machine judged dropped: the review passages closest to it, closest first, "
        "below the matching threshold and so not evidence. Empty otherwise.",
    )
    target_comparator = serializers.ChoiceField(choices=Comparator.choices, allow_blank=True, read_only=True)
    history = serializers.SerializerMethodField()

    class Meta:
        model = Pledge
        fields = [
            "id", "jurisdiction", "document", "plan_year", "section", "section_path", "kind", "text", "start", "end",
            "original_start", "original_end", "target_metric", "target_value", "target_value_max", "target_unit",
            "target_comparator", "target_direction", "verdict", "evidence", "nearest", "history",
        ]
        read_only_fields = fields

    def get_original_start(self, pledge: Pledge) -> int:
        return offset_to_original(pledge.document.offset_map or [], pledge.start)

    def get_original_end(self, pledge: Pledge) -> int:
        return offset_to_original(pledge.document.offset_map or [], pledge.end)

    @extend_schema_field(VerdictSerializer(allow_null=True))
    def get_verdict(self, pledge: Pledge) -> dict | None:
        verdict = verdict_of(pledge)
        return VerdictSerializer(verdict).data if verdict else None

    @extend_schema_field(VerdictHistorySerializer(many=True))
    def get_history(self, pledge: Pledge) -> list[dict]:
        verdict = verdict_of(pledge)
        if verdict is None:
            return []
        return VerdictHistorySerializer(selectors.verdict_history(verdict.pk)[:100], many=True).data


def _per_status(name: str, field: type[serializers.Field]) -> type[serializers.Serializer]:
    """A serializer with one ``field`` per status, in the order the scorecard shows them."""
    return type(name, (serializers.Serializer,), {s.value: field() for s in selectors.STATUS_ORDER})


StatusCountsSerializer = _per_status("StatusCountsSerializer", serializers.IntegerField)
StatusSharesSerializer = _per_status("StatusSharesSerializer", serializers.FloatField)


class ScorecardCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    counts = StatusCountsSerializer()
    shares = StatusSharesSerializer()


class SectionScorecardSerializer(ScorecardCountsSerializer):
    section = serializers.IntegerField()
    heading = serializers.CharField(allow_blank=True)


class ScorecardSerializer(ScorecardCountsSerializer):
    jurisdiction = JurisdictionSerializer()
    plan_year = serializers.IntegerField()
    sections = SectionScorecardSerializer(many=True)


class ComparisonRowSerializer(ScorecardCountsSerializer):
    jurisdiction = JurisdictionSerializer()


class ComparisonSerializer(serializers.Serializer):
    plan_year = serializers.IntegerField()
    level = serializers.CharField(allow_null=True)
    results = ComparisonRowSerializer(many=True)


class ScorecardQuerySerializer(serializers.Serializer):
    jurisdiction = RowField(queryset=Jurisdiction.objects.all())
    plan_year = serializers.IntegerField(min_value=1949, max_value=2100)


class ComparisonQuerySerializer(serializers.Serializer):
    plan_year = serializers.IntegerField(min_value=1949, max_value=2100)
    level = serializers.ChoiceField(choices=Level.choices, required=False)


def scorecard_csv_row(label: dict, card: selectors.Scorecard) -> dict:
    """One CSV row: identifying columns, then a count and a share per status."""
    row = dict(label)
    row["total"] = card.total
    shares = card.shares
    for status in selectors.STATUS_ORDER:
        row[status.value] = card.counts.get(status.value, 0)
    for status in selectors.STATUS_ORDER:
        row[f"{status.value}_share"] = round(shares.get(status.value, 0.0), 4)
    return row


STATUS_CSV_COLUMNS = ["total", *[s.value for s in selectors.STATUS_ORDER], *[f"{s.value}_share" for s in selectors.STATUS_ORDER]]
SCORECARD_CSV_COLUMNS = ["jurisdiction", "jurisdiction_name", "plan_year", "section", "heading", *STATUS_CSV_COLUMNS]
COMPARISON_CSV_COLUMNS = ["jurisdiction", "jurisdiction_name", "level", "plan_year", *STATUS_CSV_COLUMNS]


class TrackingSerializer(serializers.ModelSerializer):
    jurisdiction = serializers.IntegerField(source="plan_document.jurisdiction_id", read_only=True)
    jurisdiction_name = serializers.CharField(source="plan_document.jurisdiction.name", read_only=True)
    plan_document_filename = serializers.CharField(source="plan_document.filename", read_only=True)

    class Meta:
        model = Tracking
        fields = [
            "id", "jurisdiction", "jurisdiction_name", "plan_document", "plan_document_filename", "plan_year",
            "review_document", "state", "progress", "error", "started_at", "finished_at",
        ]
        read_only_fields = fields


TRACKING_CSV_COLUMNS = {
    "id": "id", "jurisdiction": "plan_document__jurisdiction_id", "jurisdiction_name": "plan_document__jurisdiction__name",
    "plan_document": "plan_document_id", "plan_document_filename": "plan_document__filename", "plan_year": "plan_year",
    "review_document": "review_document_id", "state": "state", "progress": "progress", "error": "error",
    "started_at": "started_at", "finished_at": "finished_at",
}


class TrackingProgressSerializer(serializers.Serializer):
    queued = serializers.IntegerField()
    processing = serializers.IntegerField()
    done = serializers.IntegerField()
    failed = serializers.IntegerField()
    total = serializers.IntegerField()


# --- writes -------------------------------------------------------------------------


class DocumentUploadSerializer(serializers.Serializer):
    # Empty files pass here so the refusal names the file, like every other bad upload.
    file = serializers.FileField(allow_empty_file=True, help_text=".txt (UTF-8/GBK/GB18030), .docx, .pdf or .html")
    jurisdiction = serializers.CharField(max_length=100, help_text="Government name, e.g. 浙江省")
    level = serializers.ChoiceField(choices=Level.choices)
    parent = RowField(
        queryset=Jurisdiction.objects.all(), required=False, allow_null=True, help_text="Id of the parent government"
    )
    year = serializers.IntegerField(
        min_value=1949, max_value=2100, help_text="The year the report was delivered (its text is not trusted for this)."
    )
    source_url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    title = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    def validate_file(self, upload):
        if upload.size == 0:
            raise serializers.ValidationError(f"{upload.name}: the file is empty")
        # Refuse before reading the whole body into memory.
        if upload.size > settings.TRACKER_MAX_UPLOAD_BYTES:
            raise serializers.ValidationError(
                f"{upload.name}: file is too large ({upload.size} bytes, limit {settings.TRACKER_MAX_UPLOAD_BYTES})"
            )
        return upload


class DocumentAcceptedSerializer(serializers.Serializer):
    document = DocumentSerializer()
    created = serializers.BooleanField(help_text="False when the same bytes were already stored for this government.")
    poll_url = serializers.URLField()


class TrackPairSerializer(serializers.Serializer):
    plan_document = RowField(queryset=Document.objects.only("pk", "year"))
    plan_year = serializers.IntegerField(min_value=1949, max_value=2100, required=False, allow_null=True)


class TrackAcceptedSerializer(serializers.Serializer):
    queued = serializers.IntegerField(help_text="How many plan documents were queued for tracking.")
    poll_url = serializers.URLField()


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        help_text="The version you based this change on (or send If-Match instead).",
    )


class OverrideSerializer(VersionSerializer):
    status = serializers.ChoiceField(choices=Status.choices)
    reason = serializers.CharField(max_length=2000)


class ScoredSerializer(VersionSerializer):
    scored = serializers.BooleanField(
        allow_null=True, help_text="true: a checkable pledge; false: a general commitment, not scored; null: the model decides"
    )
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class EvidenceCurateSerializer(VersionSerializer):
    decision = serializers.ChoiceField(choices=["accept", "reject"])


class EvidenceAddSerializer(serializers.Serializer):
    start = serializers.IntegerField(min_value=0, max_value=2**31 - 1,
                                     help_text="Offset into the review document's cleaned text")
    end = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    review_document = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=BIGINT_MAX,
        help_text="Defaults to the review document of the pledge's verdict",
    )

    def validate(self, attrs: dict) -> dict:
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError("end must be greater than start")
        return attrs


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField()


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()

