"""HTTP plumbing only: reads come from tracker.selectors, writes go to tracker.services.

tracker.services (and tracker.tasks, which imports it) pull in the pipeline, so
they are imported inside the write handlers: a read-only deployment, and the
schema, never pay for (or depend on) loading the pipeline.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker import selectors, selectors_chain, services
from tracker.api import serializers as s
from tracker.api import serializers_chain as sc
from tracker.api.concurrency import etag, expected_version
from tracker.api.errors import EvidenceReplacedConflict, QueueUnavailableError, UnprocessableRequest
from tracker.api.examples import (
    DOCUMENT_EXAMPLE,
    EVIDENCE_EXAMPLE,
    JURISDICTION_EXAMPLE,
    PLEDGE_DETAIL_EXAMPLE,
    TRACKING_EXAMPLE,
)
from tracker.api.filters import DocumentFilter, EvidenceFilter, JurisdictionFilter, PledgeFilter, TrackingFilter
from tracker.api.renderers import CSVRenderer, csv_stream
from tracker.api.schema import ERROR_RESPONSE
from tracker.models import Document, Evidence, Jurisdiction, Pledge, Verdict

READ_RENDERERS = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer]

FORMAT_PARAMETER = OpenApiParameter(
    "format",
    str,
    OpenApiParameter.QUERY,
    enum=["json", "csv"],
    description="`csv` streams every matching row (no pagination) with stable column names.",
)
ERROR_EXAMPLE = OpenApiExample(
    "stale write",
    value={"error": {"code": "stale_version", "message": "The resource changed since the version you sent.",
                     "detail": {"current_version": 4}}},
    response_only=True,
    status_codes=["409", "412"],
)


class CuratorPermission(permissions.BasePermission):
    """Reads are public; curation needs the tracker.curate_verdict permission."""

    message = "Curation requires the tracker.curate_verdict permission."

    def has_permission(self, request: Request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_authenticated and request.user.has_perm("tracker.curate_verdict"))


class TrackerPermission(permissions.BasePermission):
    """Re-running tracking replaces machine output under curators' open screens: it needs
    the tracker.run_tracking permission, not just any token."""

    message = "Tracking requires the tracker.run_tracking permission."

    def has_permission(self, request: Request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.has_perm("tracker.run_tracking"))


def row_id(raw) -> int:
    """A path id as an int; one PostgreSQL cannot hold is simply not found (never a 500)."""
    text = str(raw)
    if not (text.isascii() and text.isdigit()) or int(text) > s.BIGINT_MAX:
        raise NotFound()
    return int(text)


class SafeLookupMixin:
    def get_object(self):
        row_id(self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        return super().get_object()


class CSVListMixin(SafeLookupMixin):
    """`?format=csv` on a list streams every filtered row through values_list: no serializer, no page."""

    csv_columns: dict[str, str] = {}
    csv_filename = "export"

    def list(self, request: Request, *args, **kwargs):
        if getattr(request.accepted_renderer, "format", None) == "csv":
            queryset = self.filter_queryset(self.get_queryset())
            return csv_stream(list(self.csv_columns), self._csv_rows(queryset), self.csv_filename)
        return super().list(request, *args, **kwargs)

    def _csv_rows(self, queryset: QuerySet) -> Iterator[dict]:
        names = list(self.csv_columns)
        paths = list(self.csv_columns.values())
        # values_list drops select_related/defer; a chunked server-side cursor keeps memory flat.
        for row in queryset.values_list(*paths).iterator(chunk_size=2000):
            yield dict(zip(names, row, strict=True))


def _poll_url(request: Request, name: str, pk: int) -> str:
    return request.build_absolute_uri(reverse(name, args=[pk]))


# --- jurisdictions ------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Governments",
        description="Every jurisdiction with its level and parent. Filter by level or parent.",
        parameters=[FORMAT_PARAMETER],
        examples=[OpenApiExample("one row", value=[{"id": 3, "name": "杭州市", "level": "city", "parent": 1,
                                                    "parent_name": "浙江省"}], response_only=True)],
    ),
    retrieve=extend_schema(summary="One government",
                           examples=[OpenApiExample("city", value=JURISDICTION_EXAMPLE, response_only=True)]),
)
class JurisdictionViewSet(CSVListMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.JurisdictionSerializer
    filterset_class = JurisdictionFilter
    ordering_fields = ["id", "name", "level"]
    ordering = ["name", "id"]
    renderer_classes = READ_RENDERERS
    csv_columns = s.JURISDICTION_CSV_COLUMNS
    csv_filename = "jurisdictions"

    def get_queryset(self) -> QuerySet[Jurisdiction]:
        return Jurisdiction.objects.select_related("parent")

    @extend_schema(
        summary="Track every plan of a government",
        description="Queues one tracking task per processed plan document of this government. "
        "Needs the tracker.run_tracking permission.",
        request=None,
        responses={202: s.TrackAcceptedSerializer, 401: ERROR_RESPONSE, 403: ERROR_RESPONSE, 404: ERROR_RESPONSE},
        examples=[OpenApiExample("queued", value={"queued": 3, "poll_url": "https://example.org/api/trackings/?jurisdiction=1"},
                                 response_only=True)],
    )
    @action(detail=True, methods=["post"], permission_classes=[TrackerPermission],
            renderer_classes=[JSONRenderer, BrowsableAPIRenderer])
    def track(self, request: Request, pk: str | None = None) -> Response:
        jurisdiction = self.get_object()
        trackings = services.jurisdiction_track_request(jurisdiction.pk)
        poll = request.build_absolute_uri(reverse("api:tracking-list")) + f"?jurisdiction={jurisdiction.pk}"
        return Response({"queued": len(trackings), "poll_url": poll}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="A government's pledges promised again",
        description="Links between a pledge of one plan and the pledge of the government's previous plan it "
        "repeats or continues, newest plan first; links a curator broke are left out. `list=done_again`: promised "
        "again in the same words after the review reported it fulfilled (annual targets left out); "
        "`list=silent_again`: promised again after the review said nothing (dropped); `list=target_changed`: the "
        "same metric with a new figure. `?format=csv` streams every row.",
        parameters=[
            OpenApiParameter("list", str, enum=sc.CHAIN_LIST_NAMES, description="One of the lists; all links without it."),
            FORMAT_PARAMETER,
        ],
        responses={200: sc.ChainLinkSerializer(many=True), 400: ERROR_RESPONSE, 404: ERROR_RESPONSE},
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def chains(self, request: Request, pk: str | None = None) -> Response:
        jurisdiction = self.get_object()
        which = request.query_params.get("list") or None
        if which is not None and which not in selectors_chain.CHAIN_LISTS:
            raise UnprocessableRequest(f"list: one of {', '.join(selectors_chain.CHAIN_LISTS)}")
        links = selectors_chain.jurisdiction_chain_links(jurisdiction.pk, which)
        if getattr(request.accepted_renderer, "format", None) == "csv":
            columns = selectors_chain.CHAIN_LINK_COLUMNS
            rows = (dict(zip(columns, selectors_chain.chain_link_row(link), strict=True)) for link in links.iterator())
            return csv_stream(columns, rows, f"jurisdiction-{jurisdiction.pk}-{which or 'chains'}")
        page = self.paginate_queryset(links)
        return self.get_paginated_response(sc.ChainLinkSerializer(page, many=True).data)


# --- documents ----------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Documents",
        description="Uploaded reports with their processing state, warnings, truncation and near-duplicate link. "
        "The file bytes and texts are never included.",
        parameters=[FORMAT_PARAMETER],
        examples=[OpenApiExample("a page", value=[DOCUMENT_EXAMPLE], response_only=True)],
    ),
    retrieve=extend_schema(
        summary="One document (the poll URL after an upload)",
        description="`state` goes queued → processing → done (or failed, with `error` naming the file).",
        examples=[OpenApiExample("processed", response_only=True, value={
            **DOCUMENT_EXAMPLE,
            "sections": [{"id": 11, "report_index": 0, "kind": "review", "heading": "一、2024年工作回顾", "year": 2024,
                          "start": 40, "end": 880},
                         {"id": 12, "report_index": 0, "kind": "plan", "heading": "二、2025年工作安排", "year": 2025,
                          "start": 900, "end": 5200}]})],
    ),
)
class DocumentViewSet(CSVListMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    filterset_class = DocumentFilter
    ordering_fields = ["id", "year", "created_at"]
    ordering = ["id"]
    renderer_classes = READ_RENDERERS
    parser_classes = [MultiPartParser, FormParser]
    csv_columns = s.DOCUMENT_CSV_COLUMNS
    csv_filename = "documents"

    def get_queryset(self):
        if self.action == "retrieve":
            return selectors.document_list_queryset().prefetch_related("sections")
        return selectors.document_list_queryset()

    def get_serializer_class(self):
        if self.action == "create":
            return s.DocumentUploadSerializer
        if self.action == "retrieve":
            return s.DocumentDetailSerializer
        return s.DocumentSerializer

    def get_permissions(self):
        if self.action == "create":
            return [permissions.IsAuthenticated()]
        return super().get_permissions()

    @extend_schema(
        summary="Upload a report",
        description="Multipart upload. The file is stored, then read into sections and pledges by a worker; "
        "poll `poll_url` (also in the Location header) until `state` is done or failed. "
        "A file that can never be read gets 400 with a one-line message naming it. Needs a token.",
        request={"multipart/form-data": s.DocumentUploadSerializer},
        responses={202: s.DocumentAcceptedSerializer, 400: ERROR_RESPONSE, 401: ERROR_RESPONSE},
        examples=[
            OpenApiExample(
                "accepted",
                value={"document": {**DOCUMENT_EXAMPLE, "state": "queued", "progress": 0, "format": "", "warnings": [],
                                    "pledge_count": 0},
                       "created": True, "poll_url": "https://example.org/api/documents/41/"},
                response_only=True,
                status_codes=["202"],
            ),
            OpenApiExample(
                "bad file",
                value={"error": {"code": "invalid_file", "message": "report.pdf: not a PDF file", "detail": None}},
                response_only=True,
                status_codes=["400"],
            )
        ],
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        form = s.DocumentUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        upload = data["file"]
        try:
            document, created = services.document_upload(
                filename=upload.name,
                data=upload.read(),
                jurisdiction_name=data["jurisdiction"],
                level=data["level"],
                parent=data.get("parent"),
                year=data["year"],
                title=data["title"],
                source_url=data["source_url"],
                # Re-processing a stored report re-tracks its plans: the same permission as tracking.
                reprocess=request.user.has_perm("tracker.run_tracking"),
            )
        except services.IngestError as exc:
            raise UnprocessableRequest(str(exc), code="invalid_file") from exc
        except services.QueueUnavailable as exc:
            # The row is committed, queued with the reason; the stuck sweep sends its task
            # once the broker is back, so the client only has to poll.
            raise QueueUnavailableError(
                {"document": exc.row.pk, "poll_url": _poll_url(request, "api:document-detail", exc.row.pk)}
            ) from exc
        poll_url = _poll_url(request, "api:document-detail", document.pk)
        document = selectors.document_list_queryset().get(pk=document.pk)
        body = {
            "document": s.DocumentSerializer(document, context={"request": request}).data,
            "created": created,
            "poll_url": poll_url,
        }
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": poll_url})


# --- pledges and curation -----------------------------------------------------------

VERSION_HEADER = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description='The ETag of the pledge you read (e.g. `"verdict-12-3"`). Stale → 412. '
    "Without it, send `version` in the body (stale → 409).",
)


def _curation_schema(summary: str, description: str, request, example: dict | None = None, *,
                     methods: list[str] | None = None, parameters: list | None = None):
    return extend_schema(
        methods=methods,
        summary=summary,
        description=description + " Needs the tracker.curate_verdict permission.",
        parameters=[VERSION_HEADER, *(parameters or [])],
        request=request,
        responses={
            200: s.PledgeDetailSerializer,
            400: ERROR_RESPONSE,
            401: ERROR_RESPONSE,
            403: ERROR_RESPONSE,
            404: ERROR_RESPONSE,
            409: ERROR_RESPONSE,
            412: ERROR_RESPONSE,
            428: ERROR_RESPONSE,
        },
        examples=([OpenApiExample("request", value=example, request_only=True)] if example else []) + [ERROR_EXAMPLE],
    )


@extend_schema_view(
    list=extend_schema(
        summary="Pledges",
        description="Filter in the query string (every filtered list is a permalink); `q` searches the pledge "
        "and its evidence text. Pledges of near-duplicate copies are hidden unless `include_duplicates=true`. "
        "`?format=csv` streams every matching row.",
        parameters=[FORMAT_PARAMETER],
        examples=[
            OpenApiExample(
                "a page",
                value=[{
                    "id": 41, "url": "https://example.org/api/pledges/41/", "jurisdiction": 1,
                    "jurisdiction_name": "浙江省", "level": "province", "document": 7, "plan_year": 2025,
                    "section": 12, "section_kind": "plan", "section_heading": "二、2025年工作安排",
                    "section_path": "二、2025年工作安排 > （三）", "kind": "target", "text": "新建高标准农田2万亩",
                    "start": 1803, "end": 1813, "status": "fulfilled", "confidence": 0.82, "overridden": False,
                    "target_metric": "高标准农田", "target_value": 2.0, "target_value_max": None,
                    "target_unit": "万亩", "target_comparator": "at_least", "target_direction": "floor"}],
                response_only=True,
            )
        ],
    ),
    retrieve=extend_schema(
        summary="One pledge with evidence and history",
        description="Evidence spans carry offsets into the review's cleaned text (`start`/`end`) and its original "
        "text (`original_start`/`original_end`). The ETag header is the verdict version to send back with If-Match.",
        examples=[OpenApiExample("a judged pledge", value=PLEDGE_DETAIL_EXAMPLE, response_only=True)],
    ),
)
class PledgeViewSet(CSVListMixin, viewsets.ReadOnlyModelViewSet):
    filterset_class = PledgeFilter
    ordering_fields = ["id", "plan_year", "confidence", "status", "start", "kind"]
    ordering = ["document_id", "start"]
    renderer_classes = READ_RENDERERS
    csv_columns = s.PLEDGE_CSV_COLUMNS
    csv_filename = "pledges"

    def get_queryset(self) -> QuerySet[Pledge]:
        return selectors.pledge_api_queryset()

    def get_serializer_class(self):
        return s.PledgeSerializer if self.action == "list" else s.PledgeDetailSerializer

    def list(self, request: Request, *args, **kwargs):
        if getattr(request.accepted_renderer, "format", None) != "json":
            return super().list(request, *args, **kwargs)  # CSV stream, browsable API
        rows = self.filter_queryset(self.get_queryset()).values(*s.PLEDGE_CSV_COLUMNS.values())
        page = self.paginate_queryset(rows)
        context = {"detail_prefix": request.build_absolute_uri(reverse("api:pledge-list"))}
        return self.get_paginated_response(s.PledgeRowSerializer(page, many=True, context=context).data)

    def get_permissions(self):
        if self.action in {"override", "confirm", "scored", "evidence_add"}:
            return [CuratorPermission()]
        return super().get_permissions()

    def get_object(self) -> Pledge:
        pledge = selectors.pledge_api_detail(row_id(self.kwargs["pk"]))
        self.check_object_permissions(self.request, pledge)
        return pledge

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        pledge = self.get_object()
        return self._pledge_response(request, pledge)

    def _pledge_response(self, request: Request, pledge: Pledge, code: int = status.HTTP_200_OK) -> Response:
        response = Response(s.PledgeDetailSerializer(pledge, context={"request": request}).data, status=code)
        verdict = s.verdict_of(pledge)
        if verdict is not None:
            response["ETag"] = etag("verdict", verdict.pk, verdict.version)
        return response

    def _verdict_of(self, pk: str) -> Verdict:
        verdict = Verdict.objects.filter(pledge_id=row_id(pk)).only("pk", "version").first()
        if verdict is None:
            if not Pledge.objects.filter(pk=row_id(pk)).exists():
                raise Pledge.DoesNotExist
            raise UnprocessableRequest("this pledge has not been tracked yet: there is no verdict to curate",
                                       code="not_tracked")
        return verdict

    def _curate(self, request: Request, pk: str, write, body_version: int | None) -> Response:
        verdict = self._verdict_of(pk)
        expected = expected_version(request, "verdict", verdict.pk, body_version)
        try:
            write(verdict.pk, expected.version)
        except services.StaleVersion as exc:
            raise expected.stale(exc.current_version) from exc
        except services.CurationError as exc:
            raise UnprocessableRequest(str(exc)) from exc
        return self._pledge_response(request, selectors.pledge_api_detail(row_id(pk)))

    @_curation_schema(
        "Override the status",
        "Sets a curator status with a reason; it wins over the machine and survives re-runs.",
        s.OverrideSerializer,
        {"status": "partial", "reason": "审议稿称“基本完成”，只完成了1.6万亩", "version": 3},
        methods=["POST"],
    )
    @_curation_schema(
        "Clear the override",
        "Removes a curator status: the machine status applies again. Send the version as If-Match or `?version=`.",
        None,
        methods=["DELETE"],
        parameters=[OpenApiParameter("version", int, description="The version you based this change on")],
    )
    @action(detail=True, methods=["post", "delete"], parser_classes=[JSONParser, FormParser, MultiPartParser],
            renderer_classes=[JSONRenderer, BrowsableAPIRenderer])
    def override(self, request: Request, pk: str | None = None) -> Response:
        if request.method == "DELETE":
            # A DELETE body is often dropped by proxies and clients, so the version may come in the query.
            form = s.VersionSerializer(data=request.data or request.query_params)
            form.is_valid(raise_exception=True)
            return self._curate(
                request, pk,
                lambda vid, version: services.verdict_override_clear(
                    verdict_id=vid, user=request.user, expected_version=version),
                form.validated_data.get("version"),
            )
        form = s.OverrideSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        return self._curate(
            request, pk,
            lambda vid, version: services.verdict_override(
                verdict_id=vid, status=data["status"], reason=data["reason"], user=request.user,
                expected_version=version),
            data.get("version"),
        )

    @_curation_schema(
        "Say whether it is a checkable pledge",
        "A curator's call on the model's: `false` lists the item as a general commitment, left out of every count "
        "and of the estimated scorecard; `true` counts it; `null` gives the decision back to the model. It survives "
        "re-runs and retraining.",
        s.ScoredSerializer,
        {"scored": False, "reason": "方向性表述，没有可核查的成果", "version": 3},
    )
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, FormParser, MultiPartParser],
            renderer_classes=[JSONRenderer, BrowsableAPIRenderer])
    def scored(self, request: Request, pk: str | None = None) -> Response:
        form = s.ScoredSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        return self._curate(
            request, pk,
            lambda vid, version: services.verdict_scored_set(
                verdict_id=vid, scored=data["scored"], reason=data["reason"], user=request.user,
                expected_version=version),
            data.get("version"),
        )

    @_curation_schema(
        "Confirm the machine verdict",
        "Records that a curator agrees with the verdict as it stands (it leaves the review queue).",
        s.VersionSerializer,
        {"version": 3},
    )
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, FormParser, MultiPartParser],
            renderer_classes=[JSONRenderer, BrowsableAPIRenderer])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        form = s.VersionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return self._curate(
            request, pk,
            lambda vid, version: services.verdict_confirm(verdict_id=vid, user=request.user, expected_version=version),
            form.validated_data.get("version"),
        )

    @extend_schema(
        summary="The pledge's chain across plan years",
        description="The same deliverable in the government's consecutive plans, oldest year first, with each "
        "year's verdict and how each year follows the one before (repeated, continued, target raised or lowered; "
        "`gap` when the plans of the years between are missing). A pledge never linked is a chain of one. "
        "`?format=csv` gives one row per year.",
        parameters=[FORMAT_PARAMETER],
        responses={200: sc.PledgeChainSerializer, 404: ERROR_RESPONSE},
    )
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def chain(self, request: Request, pk: str | None = None) -> Response:
        steps = selectors_chain.pledge_chain(row_id(pk))
        if getattr(request.accepted_renderer, "format", None) == "csv":
            columns = ["pledge", "plan_year", "status", "text", "link", "kind", "similarity", "years_apart", "gap",
                       "curation"]
            rows = (sc.ChainStepSerializer(step).data for step in steps)
            return csv_stream(columns, rows, f"pledge-{row_id(pk)}-chain")
        return Response(sc.PledgeChainSerializer({"pledge": row_id(pk), "length": len(steps), "steps": steps}).data)

    @extend_schema(
        summary="Add evidence by offsets",
        description="Adds a review span the machine missed, by offsets into the review document's cleaned text; "
        "it is stored as accepted curator evidence and survives re-runs. Needs the tracker.curate_verdict permission.",
        request=s.EvidenceAddSerializer,
        responses={201: s.EvidenceSerializer, 400: ERROR_RESPONSE, 401: ERROR_RESPONSE, 403: ERROR_RESPONSE,
                   404: ERROR_RESPONSE},
        examples=[OpenApiExample("span", value={"start": 1203, "end": 1215}, request_only=True),
                  OpenApiExample("added", response_only=True, status_codes=["201"],
                                 value={**EVIDENCE_EXAMPLE, "origin": "curator", "curation": "accepted", "score": 100.0})],
    )
    @action(detail=True, methods=["post"], url_path="evidence", parser_classes=[JSONParser, FormParser, MultiPartParser],
            renderer_classes=[JSONRenderer, BrowsableAPIRenderer])
    def evidence_add(self, request: Request, pk: str | None = None) -> Response:
        form = s.EvidenceAddSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        pledge_id = row_id(pk)
        if not Pledge.objects.filter(pk=pledge_id).exists():
            raise Pledge.DoesNotExist
        try:
            evidence = services.evidence_add(
                pledge_id=pledge_id, start=data["start"], end=data["end"], user=request.user,
                review_document_id=data.get("review_document"),
            )
        except services.CurationError as exc:
            raise UnprocessableRequest(str(exc)) from exc
        except Document.DoesNotExist as exc:
            raise UnprocessableRequest("review_document: no such document") from exc
        evidence = selectors.evidence_queryset().select_related("review_document").get(pk=evidence.pk)
        response = Response(s.EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)
        response["ETag"] = etag("evidence", evidence.pk, evidence.version)
        return response


@extend_schema_view(
    list=extend_schema(summary="Evidence spans", description="Review spans matched to pledges, curated or not.",
                       parameters=[FORMAT_PARAMETER],
                       examples=[OpenApiExample("a page", value=[{k: v for k, v in EVIDENCE_EXAMPLE.items()
                                                                 if not k.startswith("original_")}],
                                                response_only=True)]),
    retrieve=extend_schema(summary="One evidence span",
                           description="The ETag header is the span version to send back with If-Match.",
                           examples=[OpenApiExample("span", value=EVIDENCE_EXAMPLE, response_only=True)]),
)
class EvidenceViewSet(CSVListMixin, viewsets.ReadOnlyModelViewSet):
    filterset_class = EvidenceFilter
    ordering_fields = ["id", "score", "start"]
    ordering = ["pledge_id", "-score", "start"]
    renderer_classes = READ_RENDERERS
    csv_columns = s.EVIDENCE_CSV_COLUMNS
    csv_filename = "evidence"

    def get_queryset(self) -> QuerySet[Evidence]:
        if self.action == "list":
            return selectors.evidence_queryset()
        return selectors.evidence_queryset().select_related("review_document")

    def get_serializer_class(self):
        return s.EvidenceListSerializer if self.action == "list" else s.EvidenceSerializer

    def get_permissions(self):
        if self.action == "curate":
            return [CuratorPermission()]
        return super().get_permissions()

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        evidence = self.get_object()
        response = Response(s.EvidenceSerializer(evidence).data)
        response["ETag"] = etag("evidence", evidence.pk, evidence.version)
        return response

    @extend_schema(
        summary="Accept or reject an evidence span",
        description="A rejected span disappears from readers' views and is never re-added by a re-run; an accepted "
        "one is kept. Needs the tracker.curate_verdict permission.",
        parameters=[VERSION_HEADER],
        request=s.EvidenceCurateSerializer,
        responses={200: s.EvidenceSerializer, 400: ERROR_RESPONSE, 401: ERROR_RESPONSE, 403: ERROR_RESPONSE,
                   404: ERROR_RESPONSE, 409: ERROR_RESPONSE, 412: ERROR_RESPONSE, 428: ERROR_RESPONSE},
        examples=[OpenApiExample("reject", value={"decision": "reject", "version": 1}, request_only=True),
                  OpenApiExample("rejected", response_only=True, status_codes=["200"],
                                 value={**EVIDENCE_EXAMPLE, "curation": "rejected", "curated_at": "2026-02-02T09:30:00Z",
                                        "version": 2}),
                  ERROR_EXAMPLE],
    )
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, FormParser, MultiPartParser],
            renderer_classes=[JSONRenderer, BrowsableAPIRenderer])
    def curate(self, request: Request, pk: str | None = None) -> Response:
        evidence_id = row_id(pk)
        if not Evidence.objects.filter(pk=evidence_id).exists():
            if services.evidence_replaced_by_rerun(evidence_id):
                raise EvidenceReplacedConflict()
            raise Evidence.DoesNotExist
        form = s.EvidenceCurateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        expected = expected_version(request, "evidence", evidence_id, data.get("version"))
        try:
            services.evidence_curate(
                evidence_id=evidence_id, accept=data["decision"] == "accept", user=request.user,
                expected_version=expected.version,
            )
        except services.StaleVersion as exc:
            raise expected.stale(exc.current_version) from exc
        evidence = self.get_queryset().get(pk=evidence_id)
        response = Response(s.EvidenceSerializer(evidence).data)
        response["ETag"] = etag("evidence", evidence.pk, evidence.version)
        return response


# --- aggregates ---------------------------------------------------------------------


class ScorecardView(APIView):
    renderer_classes = READ_RENDERERS

    @extend_schema(
        summary="Scorecard of one government's plan year",
        description="Counts and shares per status, overall and per plan section (near-duplicate copies excluded). "
        "`?format=csv` gives one row per section after an overall row (section empty).",
        parameters=[
            OpenApiParameter("jurisdiction", int, required=True),
            OpenApiParameter("plan_year", int, required=True),
            FORMAT_PARAMETER,
        ],
        responses={200: s.ScorecardSerializer, 400: ERROR_RESPONSE},
        examples=[OpenApiExample("scorecard", response_only=True, value={
            "jurisdiction": {"id": 1, "name": "浙江省", "level": "province", "parent": None, "parent_name": None},
            "plan_year": 2025, "total": 140,
            "counts": {"fulfilled": 90, "partial": 20, "missed": 5, "dropped": 25, "pending": 0},
            "shares": {"fulfilled": 0.6429, "partial": 0.1429, "missed": 0.0357, "dropped": 0.1786, "pending": 0.0},
            "sections": []})],
    )
    def get(self, request: Request) -> Response:
        query = s.ScorecardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        jurisdiction: Jurisdiction = query.validated_data["jurisdiction"]
        plan_year: int = query.validated_data["plan_year"]
        card = selectors.scorecard(jurisdiction.pk, plan_year)
        sections = selectors.scorecard_sections(jurisdiction.pk, plan_year)
        if request.accepted_renderer.format == "csv":
            label = {"jurisdiction": jurisdiction.pk, "jurisdiction_name": jurisdiction.name, "plan_year": plan_year}
            rows = [s.scorecard_csv_row({**label, "section": None, "heading": ""}, card)] + [
                s.scorecard_csv_row({**label, "section": sec.section_id, "heading": sec.heading}, sec.scorecard)
                for sec in sections
            ]
            return csv_stream(s.SCORECARD_CSV_COLUMNS, rows, f"scorecard-{jurisdiction.pk}-{plan_year}")
        body = {
            "jurisdiction": s.JurisdictionSerializer(jurisdiction).data,
            "plan_year": plan_year,
            **card.as_dict(),
            "sections": [{"section": sec.section_id, "heading": sec.heading, **sec.scorecard.as_dict()}
                         for sec in sections],
        }
        return Response(body)


class ComparisonView(APIView):
    renderer_classes = READ_RENDERERS

    @extend_schema(
        summary="Scorecards of every government for one plan year",
        description="One scorecard per government (optionally of one level), sorted by name.",
        parameters=[
            OpenApiParameter("plan_year", int, required=True),
            OpenApiParameter("level", str, enum=[c.value for c in s.Level]),
            FORMAT_PARAMETER,
        ],
        responses={200: s.ComparisonSerializer, 400: ERROR_RESPONSE},
        examples=[OpenApiExample("two governments", response_only=True, value={
            "plan_year": 2025, "level": "city", "results": [
                {"jurisdiction": JURISDICTION_EXAMPLE, "total": 96,
                 "counts": {"fulfilled": 60, "partial": 10, "missed": 4, "dropped": 22, "pending": 0},
                 "shares": {"fulfilled": 0.625, "partial": 0.1042, "missed": 0.0417, "dropped": 0.2292, "pending": 0.0}},
            ]})],
    )
    def get(self, request: Request) -> Response:
        query = s.ComparisonQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        plan_year: int = query.validated_data["plan_year"]
        level: str | None = query.validated_data.get("level")
        rows = selectors.scorecard_comparison_with_parents(plan_year, level=level)
        if request.accepted_renderer.format == "csv":
            lines = (
                s.scorecard_csv_row({"jurisdiction": j.pk, "jurisdiction_name": j.name, "level": j.level,
                                     "plan_year": plan_year}, card)
                for j, card in rows
            )
            return csv_stream(s.COMPARISON_CSV_COLUMNS, lines, f"comparison-{plan_year}")
        # One many=True serializer: a serializer per row costs more than the aggregate query itself.
        jurisdictions = s.JurisdictionSerializer([j for j, _ in rows], many=True).data
        body = {
            "plan_year": plan_year,
            "level": level,
            "results": [{"jurisdiction": j, **card.as_dict()} for j, (_, card) in zip(jurisdictions, rows, strict=True)],
        }
        return Response(body)


# --- tracking -----------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Trackings (plan checked against the next review)", parameters=[FORMAT_PARAMETER],
                       examples=[OpenApiExample("a page", value=[TRACKING_EXAMPLE], response_only=True)]),
    retrieve=extend_schema(summary="One tracking",
                           examples=[OpenApiExample("done", value=TRACKING_EXAMPLE, response_only=True)]),
)
class TrackingViewSet(CSVListMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.TrackingSerializer
    filterset_class = TrackingFilter
    ordering_fields = ["id", "plan_year", "state"]
    renderer_classes = READ_RENDERERS
    csv_columns = s.TRACKING_CSV_COLUMNS
    csv_filename = "trackings"

    def get_queryset(self):
        return selectors.tracking_queryset()

    def get_permissions(self):
        if self.action == "create":
            return [TrackerPermission()]
        return super().get_permissions()

    @extend_schema(
        summary="Track a plan against its review",
        description="Queues the judging of one plan document's pledges against the next year's review "
        "(pending when that review is not in yet). Needs the tracker.run_tracking permission.",
        request=s.TrackPairSerializer,
        responses={202: s.TrackAcceptedSerializer, 400: ERROR_RESPONSE, 401: ERROR_RESPONSE, 403: ERROR_RESPONSE},
        examples=[OpenApiExample("pair", value={"plan_document": 7, "plan_year": 2025}, request_only=True),
                  OpenApiExample("queued", value={"queued": 1, "poll_url": "https://example.org/api/trackings/?plan_document=7"},
                                 response_only=True)],
    )
    def create(self, request: Request) -> Response:
        form = s.TrackPairSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        plan = form.validated_data["plan_document"]
        services.pair_track_request(plan.pk, form.validated_data.get("plan_year"))
        poll = request.build_absolute_uri(reverse("api:tracking-list")) + f"?plan_document={plan.pk}"
        return Response({"queued": 1, "poll_url": poll}, status=status.HTTP_202_ACCEPTED, headers={"Location": poll})

    @extend_schema(
        summary="How far tracking has got",
        parameters=[OpenApiParameter("jurisdiction", int)],
        responses={200: s.TrackingProgressSerializer},
        examples=[OpenApiExample("progress", value={"queued": 2, "processing": 1, "done": 40, "failed": 0, "total": 43},
                                 response_only=True)],
    )
    @action(detail=False, methods=["get"], renderer_classes=[JSONRenderer, BrowsableAPIRenderer], filterset_class=None,
            pagination_class=None)
    def progress(self, request: Request) -> Response:
        raw = request.query_params.get("jurisdiction", "")
        jurisdiction_id = int(raw) if raw.isascii() and raw.isdigit() and int(raw) <= s.BIGINT_MAX else None
        return Response(selectors.tracking_progress(jurisdiction_id))


# --- auth ---------------------------------------------------------------------------


class TokenView(ObtainAuthToken):
    renderer_classes = [JSONRenderer]

    @extend_schema(
        summary="Get an API token",
        description="Exchange a username and password for the token to send as `Authorization: Token <key>`.",
        request=s.TokenRequestSerializer,
        responses={200: s.TokenSerializer, 400: ERROR_RESPONSE},
        examples=[OpenApiExample("token", value={"token": "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"},
                                 response_only=True)],
        auth=[],
    )
    def post(self, request: Request, *args, **kwargs) -> Response:
        return super().post(request, *args, **kwargs)

