"""Curation in the Django admin: a review queue, one screen per pledge, audit history everywhere.

Every change goes through tracker.services (compare-and-set on the version the
curator saw); the admin only collects the decision and reports the outcome.
Rows the pipeline owns (documents, sections, pledges, machine verdicts) are read-only here.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from tracker import selectors, services
from tracker.highlight import highlight_html, shared_share
from tracker.models import (
    ChainCuration,
    ChainLink,
    Document,
    Evidence,
    Jurisdiction,
    Pledge,
    Section,
    Status,
    Tracking,
    Verdict,
)

CURATE_PERMISSION = "tracker.curate_verdict"
# Fixed English strings of tracker.services shown in the admin (error messages, history reasons),
# listed so makemessages keeps their translations; the screens translate them at run time.
SERVICE_MESSAGES = [
    gettext_lazy("an override needs a reason"),
    gettext_lazy("this pledge has not been tracked yet"),
    gettext_lazy("this pledge has no review document yet; give review_document"),
    gettext_lazy("machine: pending, the next review is not in yet"),
    gettext_lazy("first machine verdict"),
    gettext_lazy("machine verdict changed on re-run"),
    gettext_lazy("override cleared"),
    gettext_lazy("confirmed"),
    gettext_lazy("evidence accepted"),
    gettext_lazy("evidence rejected"),
    gettext_lazy("link confirmed"),
    gettext_lazy("link broken"),
]


# Django's own admin strings that its Chinese catalogue lacks (screen-reader headers of the app
# list); listed so makemessages keeps them in ours.
DJANGO_ADMIN_MESSAGES = [gettext_lazy("Model name"), gettext_lazy("Add link"), gettext_lazy("Change or view list link")]


def change_reason_display(reason: str | None) -> str:
    """A history reason in the screen's language: the services write fixed English phrases,
    sometimes followed by the curator's own words ("evidence rejected: 审议稿原文"), which stay."""
    if not reason:
        return ""
    what, sep, rest = reason.partition(": ")
    if sep and _(what) != what:
        return f"{_(what)}: {rest}"
    return _(reason)
# The admin index links the review queue, where curation starts.
admin.site.index_template = "admin/tracker_index.html"


class ReadOnlyMixin:
    """The pipeline writes these rows; editing them by hand would bypass the services."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class _TruthfulDeltas(HistoricalRecordContextHelper):
    """simple-history shows an empty foreign key in a diff as "Deleted <model> (pk=None)": a
    verdict first confirmed reads as if a user had been deleted. Empty is shown as a dash (as is
    an empty date, which would print "None"); a related row that really is gone keeps the
    library's "Deleted … (pk=N)"."""

    def prepare_delta_change_value(self, change, value):
        if value is None or (isinstance(value, DeletedObject) and value.pk is None):
            return "—"
        return super().prepare_delta_change_value(change, value)


class TruthfulHistoryAdmin(SimpleHistoryAdmin):
    """Audit history that says who and what: a row without a user is the machine's (a tracking
    run), and an empty reference is not a deleted one."""

    object_history_list_template = "admin/tracker/object_history_list.html"

    def get_historical_record_context_helper(self, request, historical_record) -> HistoricalRecordContextHelper:
        return _TruthfulDeltas(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True) -> None:
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        for record in historical_records:
            record.reason_display = change_reason_display(record.history_change_reason)


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name"]
    autocomplete_fields = ["parent"]


class SectionInline(ReadOnlyMixin, admin.TabularInline):
    model = Section
    fields = ["report_index", "kind", "heading", "year", "start", "end"]
    readonly_fields = fields
    extra = 0
    show_change_link = False


@admin.register(Document)
class DocumentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["filename", "jurisdiction", "year", "state", "truncated", "near_duplicate_of", "created_at"]
    list_filter = ["state", "year", "truncated", "jurisdiction__level"]
    search_fields = ["filename", "title", "jurisdiction__name"]
    # The bytes and the two full texts would make every page megabytes long.
    exclude = ["original_file", "original_text", "text", "offset_map"]
    readonly_fields = [
        "jurisdiction", "year", "title", "source_url", "filename", "format", "encoding", "content_hash", "state",
        "progress", "error", "warnings", "truncated", "near_duplicate_of", "near_duplicate_similarity",
        "plan_report_index", "review_report_index", "created_at", "updated_at",
    ]
    inlines = [SectionInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Document]:
        return super().get_queryset(request).select_related("jurisdiction", "near_duplicate_of").defer(
            "original_file", "original_text", "text", "offset_map"
        )


class StatusFilter(admin.SimpleListFilter):
    title = gettext_lazy("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Status.choices

    def queryset(self, request, queryset):
        return selectors.pledges_with_status(queryset, [self.value()]) if self.value() else queryset


class QueueFilter(admin.SimpleListFilter):
    title = gettext_lazy("curation")
    parameter_name = "curation"

    def lookups(self, request, model_admin):
        return [
            ("low", _("needs review, confidence < %(threshold)s") % {"threshold": f"{settings.TRACKER_REVIEW_CONFIDENCE:g}"}),
            ("todo", _("needs review")),
            ("confirmed", _("confirmed")),
            ("overridden", _("overridden")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "low":
            return queryset.filter(
                pk__in=selectors.review_queue().filter(verdict__confidence__lt=settings.TRACKER_REVIEW_CONFIDENCE).values("pk")
            )
        if self.value() == "todo":
            return queryset.filter(pk__in=selectors.review_queue().values("pk"))
        if self.value() == "confirmed":
            return queryset.filter(verdict__confirmed_at__isnull=False)
        if self.value() == "overridden":
            return queryset.filter(verdict__override_status__gt="")
        return queryset


@admin.action(description=gettext_lazy("Confirm the selected verdicts as they stand"), permissions=["curate"])
def confirm_verdicts(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    from tracker import services

    model = queryset.model
    verdict_ids = (
        queryset.values_list("pk", flat=True) if model is Verdict
        else Verdict.objects.filter(pledge__in=queryset).values_list("pk", flat=True)
    )
    confirmed = 0
    for verdict_id in verdict_ids:
        # No expected version: the curator is confirming what the list showed, row by row.
        services.verdict_confirm(verdict_id=verdict_id, user=request.user, expected_version=None)
        confirmed += 1
    skipped = queryset.count() - confirmed
    modeladmin.message_user(request, _("Confirmed %(count)d verdicts.") % {"count": confirmed}, messages.SUCCESS)
    if skipped > 0:
        modeladmin.message_user(request, _("%(count)d pledges have no verdict yet and were skipped.") % {"count": skipped},
                                messages.WARNING)


def _scored_set(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet, scored: bool) -> None:
    from tracker import services

    reason = _("set from the admin list by %(user)s") % {"user": request.user.get_username()}
    verdict_ids = Verdict.objects.filter(pledge__in=queryset).values_list("pk", flat=True)
    for verdict_id in verdict_ids:
        services.verdict_scored_set(verdict_id=verdict_id, scored=scored, reason=reason, user=request.user,
                                    expected_version=None)
    modeladmin.message_user(request, _("Updated %(count)d verdicts.") % {"count": len(verdict_ids)}, messages.SUCCESS)


@admin.action(description=gettext_lazy("Not a checkable pledge: list apart, do not score"), permissions=["curate"])
def mark_general(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    _scored_set(modeladmin, request, queryset, False)


@admin.action(description=gettext_lazy("A checkable pledge: score it"), permissions=["curate"])
def mark_checkable(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    _scored_set(modeladmin, request, queryset, True)


class CurateMixin:
    def has_curate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(CURATE_PERMISSION)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        # A curator needs to see the queue without also holding the generic view permissions.
        return super().has_view_permission(request, obj) or self.has_curate_permission(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return super().has_module_permission(request) or self.has_curate_permission(request)


@admin.register(Pledge)
class PledgeAdmin(CurateMixin, ReadOnlyMixin, admin.ModelAdmin):
    """The review queue: least confident machine verdicts first."""

    list_display = ["short_text", "jurisdiction", "plan_year", "kind", "status", "confidence", "curation", "curate_link"]
    list_filter = [QueueFilter, StatusFilter, "document__jurisdiction", "plan_year", "kind"]
    search_fields = ["text", "document__jurisdiction__name"]
    list_per_page = 50
    actions = [confirm_verdicts, mark_general, mark_checkable]
    ordering = ["verdict__confidence", "pk"]
    readonly_fields = [
        "document", "section", "plan_year", "text", "start", "end", "kind", "section_path", "target_metric",
        "target_value", "target_value_max", "target_unit", "target_comparator", "target_direction",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Pledge]:
        return selectors.pledge_queryset().defer(
            "document__original_file", "document__original_text", "document__text", "document__offset_map"
        )

    @admin.display(description=gettext_lazy("pledge"))
    def short_text(self, pledge: Pledge) -> str:
        return pledge.text[:60]

    @admin.display(description=gettext_lazy("government"), ordering="document__jurisdiction__name")
    def jurisdiction(self, pledge: Pledge) -> str:
        return pledge.document.jurisdiction.name

    @admin.display(description=gettext_lazy("status"), ordering="verdict__status")
    def status(self, pledge: Pledge) -> str:
        verdict = _verdict(pledge)
        return Status(verdict.status if verdict else Status.PENDING).label

    @admin.display(description=gettext_lazy("confidence"), ordering="verdict__confidence")
    def confidence(self, pledge: Pledge) -> str:
        verdict = _verdict(pledge)
        return f"{verdict.confidence:.2f}" if verdict else "–"

    @admin.display(description=gettext_lazy("curation"))
    def curation(self, pledge: Pledge) -> str:
        verdict = _verdict(pledge)
        if verdict is None:
            return _("not tracked")
        if verdict.override_status:
            return _("overridden (%(machine)s → %(override)s)") % {
                "machine": Status(verdict.machine_status).label, "override": Status(verdict.override_status).label}
        return _("confirmed") if verdict.confirmed_at else _("needs review")

    @admin.display(description="")
    def curate_link(self, pledge: Pledge) -> str:
        return format_html('<a href="{}">{} →</a>', reverse("admin:tracker_pledge_curate", args=[pledge.pk]), _("curate"))

    def get_urls(self):
        urls = super().get_urls()
        curate = path("<int:pledge_id>/curate/", self.admin_site.admin_view(self.curate_view),
                      name="tracker_pledge_curate")
        return [curate, *urls]

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None):
        extra_context = {**(extra_context or {}), "curate_url": reverse("admin:tracker_pledge_curate", args=[object_id])}
        return super().change_view(request, object_id, form_url, extra_context)

    def curate_view(self, request: HttpRequest, pledge_id: int) -> HttpResponse:
        if not self.has_curate_permission(request):
            raise PermissionDenied
        pledge = get_object_or_404(selectors.pledge_queryset(), pk=pledge_id)
        here = reverse("admin:tracker_pledge_curate", args=[pledge_id])
        if request.method == "POST":
            self._curate_post(request, pledge)
            # Only back into this site: a crafted next= must not turn the admin into an open redirect.
            target = request.POST.get("next") or ""
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
                target = here
            return HttpResponseRedirect(target)
        return TemplateResponse(request, "admin/tracker/pledge/curate.html", self._curate_context(request, pledge))

    def _curate_post(self, request: HttpRequest, pledge: Pledge) -> None:
        post = request.POST
        verdict = _verdict(pledge)
        version = _int(post.get("verdict_version"))
        try:
            if post.get("action") == "add":
                services.evidence_add(
                    pledge_id=pledge.pk, start=_int(post.get("start"), -1), end=_int(post.get("end"), -1),
                    user=request.user, review_document_id=_int(post.get("review_document")) or None,
                )
                self.message_user(request, _("Evidence added."), messages.SUCCESS)
                return
            if verdict is None:
                raise services.CurationError("this pledge has not been tracked yet")
            if post.get("action") == "confirm":
                services.verdict_confirm(verdict_id=verdict.pk, user=request.user, expected_version=version)
            elif post.get("action") == "clear":
                services.verdict_override_clear(verdict_id=verdict.pk, user=request.user, expected_version=version)
            elif not services.pledge_curate(
                pledge_id=pledge.pk,
                evidence_decisions=_evidence_decisions(post),
                override_status=post.get("override_status", ""),
                override_reason=post.get("override_reason", ""),
                user=request.user,
                expected_version=version,
            ):
                self.message_user(request, _("Nothing to save."), messages.INFO)
                return
            self.message_user(request, _("Saved."), messages.SUCCESS)
        except services.EvidenceReplaced:
            self.message_user(
                request,
                _("Not saved: the machine re-ran on this pledge after you opened it and replaced evidence you decided "
                  "on. Nothing was saved; the page now shows the current evidence, decide again."),
                messages.ERROR,
            )
        except services.StaleVersion:
            self.message_user(
                request,
                _("Not saved: another curator changed this pledge after you opened it, or the machine re-ran. "
                  "The page shows the current version now."),
                messages.ERROR,
            )
        except (services.CurationError, Evidence.DoesNotExist, Document.DoesNotExist) as exc:
            # The services' messages are English; the fixed ones have a translation (SERVICE_MESSAGES).
            self.message_user(request, _("Not saved: %(reason)s") % {"reason": _(str(exc))}, messages.ERROR)

    def _curate_context(self, request: HttpRequest, pledge: Pledge) -> dict:
        verdict = _verdict(pledge)
        candidates = list(selectors.pledge_candidates(pledge.pk))
        words = "".join(c.text for c in candidates if c.curation != "rejected")
        rows = [
            {
                "evidence": c,
                "html": mark_safe(highlight_html(c.text, pledge.text)),  # highlight_html escapes the text
                "overlap": round(100 * shared_share(c.text, pledge.text)),
            }
            for c in candidates
        ]
        spans = {(c.review_document_id, c.start, c.end) for c in candidates if c.curation != "rejected"}
        nearest = [
            {
                "passage": n,
                "html": mark_safe(highlight_html(n.text, pledge.text)),  # highlight_html escapes the text
                "added": (n.review_document_id, n.start, n.end) in spans,
            }
            for n in selectors.pledge_nearest(pledge.pk)
        ]
        queue = selectors.review_queue().values_list("pk", flat=True)
        # Placed by the machine's confidence: once saved, an override's confidence is 1.0 and
        # the pledge has left the queue, yet "next" is still the one after where it stood.
        next_id = next(
            (pk for pk in queue.filter(verdict__confidence__gte=verdict.machine_confidence).exclude(pk=pledge.pk)[:1]),
            None,
        ) if verdict else None
        before, after = selectors.pledge_context(pledge, chars=160)
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Curate pledge %(id)s") % {"id": pledge.pk},
            "pledge": pledge,
            "context_before": before,
            "context_after": after,
            "verdict": verdict,
            "pledge_html": mark_safe(highlight_html(pledge.text, words)),  # highlight_html escapes the text
            "rows": rows,
            "nearest": nearest,
            "statuses": Status.choices,
            "history": _with_reasons(selectors.verdict_history(verdict.pk)[:30]) if verdict else [],
            "next_url": reverse("admin:tracker_pledge_curate", args=[next_id]) if next_id else None,
            "queue_url": reverse("admin:tracker_pledge_changelist") + "?curation=todo",
        }


def _with_reasons(records) -> list:
    rows = list(records)
    for row in rows:
        row.reason_display = change_reason_display(row.history_change_reason)
    return rows


def _verdict(pledge: Pledge) -> Verdict | None:
    try:
        return pledge.verdict
    except Verdict.DoesNotExist:
        return None


def _int(raw: str | None, default: int | None = None) -> int | None:
    try:
        return int(raw) if raw not in (None, "") else default
    except ValueError:
        return default


@admin.register(Verdict)
class VerdictAdmin(CurateMixin, ReadOnlyMixin, TruthfulHistoryAdmin):
    """Read-only with its full history: changes are made on the pledge curation screen."""

    list_display = ["pledge", "status", "machine_status", "override_status", "confidence", "confirmed_at", "version"]
    list_filter = ["status", "machine_status", "pledge__plan_year", "pledge__document__jurisdiction"]
    search_fields = ["pledge__text"]
    actions = [confirm_verdicts]
    history_list_display = ["status", "override_status", "override_reason", "confidence", "version"]
    readonly_fields = [
        "pledge", "review_document", "machine_status", "machine_confidence", "machine_actual", "override_status",
        "override_reason", "override_by", "override_at", "confirmed_by", "confirmed_at", "status", "confidence",
        "version",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Verdict]:
        return super().get_queryset(request).select_related("pledge")


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyMixin, TruthfulHistoryAdmin):
    list_display = ["pledge", "text", "score", "origin", "curation", "curated_by", "version"]
    list_filter = ["origin", "curation"]
    search_fields = ["text", "pledge__text"]
    history_list_display = ["curation", "version"]
    readonly_fields = ["pledge", "review_document", "text", "start", "end", "score", "origin", "curation",
                       "curated_by", "curated_at", "version"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Evidence]:
        return super().get_queryset(request).select_related("pledge", "curated_by")


@admin.register(Tracking)
class TrackingAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["plan_document", "plan_year", "review_document", "state", "progress", "finished_at"]
    list_filter = ["state", "plan_year"]
    readonly_fields = ["plan_document", "review_document", "plan_year", "state", "progress", "error", "started_at",
                       "finished_at"]


@admin.register(ChainLink)
class ChainLinkAdmin(CurateMixin, ReadOnlyMixin, TruthfulHistoryAdmin):
    """Chain links between consecutive plans: a curator confirms or breaks each on its own screen.

    The decision goes through services_chain (compare-and-set on the version seen) and the
    machine never changes a decided link again.
    """

    list_display = ["previous_text", "pledge_text", "years", "kind", "similarity", "curation_shown", "curate_link"]
    list_filter = ["curation", "kind", "basis", "years_apart", "jurisdiction"]
    search_fields = ["pledge__text", "previous__text"]
    list_per_page = 50
    # Least similar first: where the machine is most likely wrong.
    ordering = ["similarity", "pk"]
    history_list_display = ["curation", "curation_reason", "version"]
    readonly_fields = ["previous", "pledge", "jurisdiction", "kind", "similarity", "basis", "years_apart", "curation",
                       "curated_by", "curated_at", "curation_reason", "version"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ChainLink]:
        return super().get_queryset(request).select_related("previous", "pledge", "jurisdiction")

    @admin.display(description=gettext_lazy("earlier pledge"))
    def previous_text(self, link: ChainLink) -> str:
        return f"{link.previous.plan_year}: {link.previous.text[:50]}"

    @admin.display(description=gettext_lazy("later pledge"))
    def pledge_text(self, link: ChainLink) -> str:
        return f"{link.pledge.plan_year}: {link.pledge.text[:50]}"

    @admin.display(description=gettext_lazy("years apart"), ordering="years_apart")
    def years(self, link: ChainLink) -> str:
        return _("%(n)d (a year missing)") % {"n": link.years_apart} if link.gap else "1"

    @admin.display(description=gettext_lazy("curation"), ordering="curation")
    def curation_shown(self, link: ChainLink) -> str:
        return link.get_curation_display()

    @admin.display(description="")
    def curate_link(self, link: ChainLink) -> str:
        return format_html('<a href="{}">confirm or break →</a>', reverse("admin:tracker_chainlink_curate", args=[link.pk]))

    def get_urls(self):
        urls = super().get_urls()
        curate = path("<int:link_id>/curate/", self.admin_site.admin_view(self.curate_view),
                      name="tracker_chainlink_curate")
        return [curate, *urls]

    def curate_view(self, request: HttpRequest, link_id: int) -> HttpResponse:
        from tracker import services_chain

        if not self.has_curate_permission(request):
            raise PermissionDenied
        link = get_object_or_404(self.get_queryset(request), pk=link_id)
        here = reverse("admin:tracker_chainlink_curate", args=[link_id])
        if request.method == "POST":
            post = request.POST
            decision = post.get("action")
            try:
                if decision == "confirm":
                    services_chain.chain_link_confirm(link_id=link.pk, user=request.user,
                                                      expected_version=_int(post.get("version")),
                                                      reason=post.get("reason", ""))
                    self.message_user(request, _("Link confirmed: the machine keeps it on every re-run."), messages.SUCCESS)
                elif decision == "break":
                    services_chain.chain_link_break(link_id=link.pk, user=request.user,
                                                    expected_version=_int(post.get("version")),
                                                    reason=post.get("reason", ""))
                    self.message_user(request, _("Link broken: it is hidden and never proposed again."), messages.SUCCESS)
                else:
                    self.message_user(request, _("Nothing to save."), messages.INFO)
            except services_chain.ChainStaleVersion:
                self.message_user(request, _("Not saved: another curator decided on this link after you opened it. "
                                             "The page shows their decision now."), messages.ERROR)
            except services_chain.ChainCurationError as exc:
                self.message_user(request, _("Not saved: %(error)s") % {"error": exc}, messages.ERROR)
            return HttpResponseRedirect(here)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Chain link %(id)d") % {"id": link.pk},
            "link": link,
            "previous_status": _status_of(link.previous),
            "pledge_status": _status_of(link.pledge),
            "history": link.history.select_related("history_user").order_by("-history_date")[:30],
            "CONFIRMED": ChainCuration.CONFIRMED,
            "BROKEN": ChainCuration.BROKEN,
        }
        return TemplateResponse(request, "admin/tracker/chainlink/curate.html", context)


def _status_of(pledge: Pledge) -> str:
    """The pledge's status as the screen's language names it (部分完成, not partial)."""
    verdict = _verdict(pledge)
    return str(Status(verdict.status if verdict else Status.PENDING).label)


def _evidence_decisions(post) -> dict[int, tuple[bool, int | None]]:
    """evidence_<id>=accept|reject fields of the curation form, with the version each was seen at."""
    decisions = {}
    for key, decision in post.items():
        if key.startswith("evidence_") and decision in {"accept", "reject"}:
            evidence_id = _int(key.removeprefix("evidence_"))
            if evidence_id:
                decisions[evidence_id] = (decision == "accept", _int(post.get(f"evidence_version_{evidence_id}")))
    return decisions
