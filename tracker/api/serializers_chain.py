"""Serializers of chains (issue 14): a pledge's chain, and a government's chain links."""

from __future__ import annotations

from rest_framework import serializers

from tracker.models import ChainCuration, ChainKind, Status
from tracker.selectors_chain import CHAIN_LISTS


class ChainStepSerializer(serializers.Serializer):
    """One plan year of a chain; the link fields describe how it follows the year before (null first)."""

    pledge = serializers.IntegerField(source="pledge.pk")
    plan_year = serializers.IntegerField(source="pledge.plan_year")
    text = serializers.CharField(source="pledge.text")
    status = serializers.ChoiceField(choices=Status.choices, help_text="The verdict of that year's pledge.")
    link = serializers.IntegerField(source="link.pk", allow_null=True, default=None)
    kind = serializers.ChoiceField(source="link.kind", choices=ChainKind.choices, allow_null=True, default=None)
    similarity = serializers.FloatField(source="link.similarity", allow_null=True, default=None)
    years_apart = serializers.IntegerField(
        source="link.years_apart", allow_null=True, default=None,
        help_text="1 for consecutive plans; more when the plans of the years between are missing.",
    )
    gap = serializers.BooleanField(source="link.gap", allow_null=True, default=None)
    curation = serializers.ChoiceField(source="link.curation", choices=ChainCuration.choices, allow_null=True,
                                       allow_blank=True, default=None)


class PledgeChainSerializer(serializers.Serializer):
    pledge = serializers.IntegerField()
    length = serializers.IntegerField(help_text="Plan years in the chain (1: the pledge stands alone).")
    steps = ChainStepSerializer(many=True)


class ChainPledgeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    plan_year = serializers.IntegerField()
    text = serializers.CharField()
    status = serializers.SerializerMethodField()
    target_value = serializers.FloatField(allow_null=True)
    target_unit = serializers.CharField(allow_blank=True)

    def get_status(self, pledge) -> str:
        verdict = getattr(pledge, "verdict", None)
        return verdict.status if verdict else Status.PENDING


class ChainLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ChainKind.choices)
    basis = serializers.CharField(help_text="target (same metric) or text (same wording of the deliverable)")
    similarity = serializers.FloatField()
    years_apart = serializers.IntegerField()
    gap = serializers.BooleanField()
    curation = serializers.ChoiceField(choices=ChainCuration.choices, allow_blank=True)
    previous = ChainPledgeSerializer(help_text="The pledge of the earlier plan.")
    pledge = ChainPledgeSerializer(help_text="The pledge of the later plan that repeats or continues it.")


CHAIN_LIST_NAMES = list(CHAIN_LISTS)
