"""The API's JSON: flat rows with codes and numbers, amounts as strings with two decimals
(like the round summary), quantities as exact decimal strings, dates as YYYY-MM-DD."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from milestones.models import Milestone, MilestoneStatus
from projects.models import Fiche, IndicatorDefinition, Project, ReportingRound


def _amount(**options: Any) -> serializers.DecimalField:
    """Euro, as a string with two decimals: never a float."""
    return serializers.DecimalField(
        max_digits=15, decimal_places=2, coerce_to_string=True, read_only=True, **options
    )


@extend_schema_field({"type": "string", "format": "decimal", "nullable": True, "example": "120.5"})
class QuantityField(serializers.Field):
    """A measured quantity, exact and without trailing zeros ("120.5", "-3", "300")."""

    def __init__(self, **options: Any) -> None:
        super().__init__(read_only=True, **options)

    def to_representation(self, value: Decimal) -> str:
        # Ten to the power of something would read as a float: write every digit out.
        return f"{value.normalize():f}"


class RoundRowSerializer(serializers.ModelSerializer):
    """A row of one round (a fiche, a milestone's status): the round's code, the status's
    label."""

    round = serializers.CharField(source="round.code", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)


class FicheReportSerializer(RoundRowSerializer):
    """What a fiche reports at its round: the status, the narrative, the money."""

    budget_eur = _amount(
        source="round_budget_eur", help_text="The budget frozen when the round closed."
    )
    committed_eur = _amount(
        source="finance.committed_eur", allow_null=True, help_text="VAK, cumulative."
    )
    paid_eur = _amount(source="finance.paid_eur", allow_null=True, help_text="VEK, cumulative.")

    class Meta:
        model = Fiche
        fields = ["status", "status_label", "narrative", "budget_eur", "committed_eur", "paid_eur"]
        read_only_fields = fields


class ProjectSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:project-detail", lookup_field="code")
    speerpunt = serializers.IntegerField(source="cluster.speerpunt.number", read_only=True)
    speerpunt_name = serializers.CharField(source="cluster.speerpunt.name", read_only=True)
    cluster = serializers.IntegerField(source="cluster.number", read_only=True)
    cluster_name = serializers.CharField(source="cluster.name", read_only=True)
    domain = serializers.CharField(source="domain.code", read_only=True)
    domain_name = serializers.CharField(source="domain.name", read_only=True)
    budget_eur = _amount(help_text="The project's current budget in euro.")
    rrf = serializers.BooleanField(source="is_rrf", read_only=True)
    # Plain integers (0, 40 or 100): one choice set under two names would trouble the schema.
    climate_coefficient = serializers.IntegerField(
        read_only=True, help_text="Share of the budget (0, 40 or 100%) for the climate transition."
    )
    digital_coefficient = serializers.IntegerField(
        read_only=True, help_text="Share of the budget (0, 40 or 100%) for the digital transition."
    )

    class Meta:
        model = Project
        fields = [
            "code",
            "url",
            "title",
            "speerpunt",
            "speerpunt_name",
            "cluster",
            "cluster_name",
            "domain",
            "domain_name",
            "entity",
            "budget_eur",
            "rrf",
            "rrf_measure",
            "start_date",
            "end_date",
            "climate_coefficient",
            "digital_coefficient",
        ]
        read_only_fields = fields


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = [
            "number",
            "description",
            "deadline",
            "rrf_reference",
            "rrf_quarter",
            "rrf_instalment",
        ]
        read_only_fields = fields


class IndicatorSerializer(serializers.ModelSerializer):
    """An indicator as the latest closed round that knows it defined it (a draft's change
    is published when its round closes; its values per round are in the open data)."""

    code = serializers.CharField(source="indicator.code", read_only=True)
    baseline = QuantityField(allow_null=True)
    target = QuantityField(allow_null=True)

    class Meta:
        model = IndicatorDefinition
        fields = [
            "code",
            "name",
            "kind",
            "unit",
            "baseline",
            "target",
            "target_date",
            "rrf_reference",
            "rrf_quarter",
            "rrf_instalment",
        ]
        read_only_fields = fields


class ProjectFicheSerializer(FicheReportSerializer):
    """A project's fiche of one closed round, inside the project."""

    reference_date = serializers.DateField(source="round.reference_date", read_only=True)

    class Meta(FicheReportSerializer.Meta):
        fields = ["round", "reference_date", *FicheReportSerializer.Meta.fields]
        read_only_fields = fields


class ProjectDetailSerializer(ProjectSerializer):
    fiches = ProjectFicheSerializer(
        source="published_fiches",
        many=True,
        read_only=True,
        help_text="Its fiches of the closed rounds, newest first.",
    )
    milestones = MilestoneSerializer(many=True, read_only=True)
    indicators = IndicatorSerializer(
        source="published_indicators",
        many=True,
        read_only=True,
        help_text=(
            "Its indicators as the latest closed round that knows them defined them; an "
            "indicator only an open round knows is absent."
        ),
    )

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "fiches", "milestones", "indicators"]
        read_only_fields = fields


class RoundSerializer(serializers.ModelSerializer):
    summary_url = serializers.SerializerMethodField()
    fiches_url = serializers.SerializerMethodField()
    milestones_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportingRound
        fields = [
            "code",
            "name",
            "reference_date",
            "closed_at",
            "summary_url",
            "fiches_url",
            "milestones_url",
        ]
        read_only_fields = fields

    def _link(self, name: str, reporting_round: ReportingRound) -> str:
        path = reverse(name, args=[reporting_round.code])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def get_summary_url(self, reporting_round: ReportingRound) -> str:
        return self._link("api:round-summary", reporting_round)

    def get_fiches_url(self, reporting_round: ReportingRound) -> str:
        return self._link("api:round-fiches", reporting_round)

    def get_milestones_url(self, reporting_round: ReportingRound) -> str:
        return self._link("api:round-milestones", reporting_round)


class FicheSerializer(FicheReportSerializer):
    """A fiche of the round: the project's status, narrative and money at the round."""

    project = serializers.CharField(source="project.code", read_only=True)
    project_title = serializers.CharField(source="project.title", read_only=True)
    speerpunt = serializers.IntegerField(source="project.cluster.speerpunt.number", read_only=True)
    cluster = serializers.IntegerField(source="project.cluster.number", read_only=True)
    domain = serializers.CharField(source="project.domain.code", read_only=True)
    rrf = serializers.BooleanField(source="project.is_rrf", read_only=True)

    class Meta(FicheReportSerializer.Meta):
        fields = [
            "round",
            "project",
            "project_title",
            "speerpunt",
            "cluster",
            "domain",
            "rrf",
            *FicheReportSerializer.Meta.fields,
        ]
        read_only_fields = fields


class MilestoneStatusSerializer(RoundRowSerializer):
    """Where a milestone stood at the round."""

    project = serializers.CharField(source="milestone.project.code", read_only=True)
    milestone = serializers.IntegerField(source="milestone.number", read_only=True)
    description = serializers.CharField(source="milestone.description", read_only=True)
    deadline = serializers.DateField(
        source="milestone.deadline", read_only=True, help_text="The original deadline."
    )
    rrf_reference = serializers.CharField(source="milestone.rrf_reference", read_only=True)
    rrf_quarter = serializers.CharField(
        source="milestone.rrf_quarter", read_only=True, help_text="RRF year-quarter, e.g. 2024-Q2."
    )
    rrf_instalment = serializers.IntegerField(
        source="milestone.rrf_instalment",
        read_only=True,
        allow_null=True,
        help_text="RRF payment request (instalment) number.",
    )

    class Meta:
        model = MilestoneStatus
        fields = [
            "round",
            "project",
            "milestone",
            "description",
            "deadline",
            "rrf_reference",
            "rrf_quarter",
            "rrf_instalment",
            "status",
            "status_label",
            "realised_on",
            "forecast_date",
            "postponements",
            "delay_reason",
            "note",
        ]
        read_only_fields = fields
