"""The JSON of a fiche in the write API: what GET and PATCH answer (``FicheRecord``), what
PATCH takes (``FichePatch``), and the error bodies every refusal has."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from milestones.models import MilestoneState
from projects.models import ProjectStatus, ReviewState

from .fields import (
    ClosedSerializer,
    MoneyField,
    QuantityField,
    StrictCharField,
    StrictDateField,
)

MILESTONE_STATUS_CHOICES = [("", _("geen status")), *MilestoneState.choices]


class MilestoneEntrySerializer(serializers.Serializer):
    description = serializers.CharField(read_only=True)
    deadline = serializers.DateField(read_only=True, help_text="The original deadline.")
    status = serializers.ChoiceField(
        choices=MILESTONE_STATUS_CHOICES, help_text='Its status at the round; "" for none yet.'
    )
    realised_on = serializers.DateField(allow_null=True)
    forecast_date = serializers.DateField(allow_null=True)
    delay_reason = serializers.CharField(allow_blank=True)
    note = serializers.CharField(allow_blank=True)


class IndicatorValueEntrySerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    unit = serializers.CharField(read_only=True)
    value = QuantityField()
    note = serializers.CharField(allow_blank=True)


class FindingSerializer(serializers.Serializer):
    """A rule's finding on the fiche (the rules of the fiche form and the review queue)."""

    rule = serializers.CharField(help_text="The rule's code, e.g. paid_exceeds_committed.")
    level = serializers.ChoiceField(
        choices=[("error", "error"), ("warning", "warning")],
        help_text="An error keeps the fiche from being submitted; a warning blocks nothing.",
    )
    field = serializers.CharField(
        allow_null=True, help_text="The field it is about, as in the error bodies."
    )
    milestone = serializers.IntegerField(allow_null=True, help_text="The milestone's number.")
    message = serializers.CharField()


class FicheRecordSerializer(serializers.Serializer):
    """A fiche of the open round as its owners see it on the fiche form."""

    round = serializers.CharField()
    project = serializers.CharField()
    project_title = serializers.CharField()
    version = serializers.IntegerField(help_text="Moves on with every save or review.")
    review_state = serializers.ChoiceField(choices=ReviewState.choices)
    editable = serializers.BooleanField(
        help_text="Whether the caller may PATCH and submit the fiche now."
    )
    status = serializers.ChoiceField(
        choices=ProjectStatus.choices,
        help_text="The status as reports count it: the owner's, or the coordinators' flag.",
    )
    owner_status = serializers.ChoiceField(choices=ProjectStatus.owner_choices())
    narrative = serializers.CharField(allow_blank=True)
    committed_eur = MoneyField(help_text="VAK, cumulative.")
    paid_eur = MoneyField(help_text="VEK, cumulative.")
    milestones = serializers.DictField(
        child=MilestoneEntrySerializer(),
        help_text="The project's milestones by number.",
    )
    indicator_values = serializers.DictField(
        child=IndicatorValueEntrySerializer(),
        help_text="The values of the project's indicators at the round, by indicator code.",
    )
    findings = FindingSerializer(
        many=True, help_text="What the fiche's rules find in it as stored now."
    )


# -- what PATCH takes -------------------------------------------------------------------------


class MilestonePatchSerializer(ClosedSerializer):
    status = serializers.ChoiceField(choices=MILESTONE_STATUS_CHOICES, required=False)
    realised_on = StrictDateField(required=False)
    forecast_date = StrictDateField(required=False)
    delay_reason = StrictCharField(allow_blank=True, required=False)
    note = StrictCharField(allow_blank=True, required=False)


class IndicatorValuePatchSerializer(ClosedSerializer):
    value = QuantityField(required=False)
    note = StrictCharField(allow_blank=True, required=False)


class FichePatchSerializer(ClosedSerializer):
    """The fields to change; a field left out keeps its stored value. Milestones and
    indicator values are keyed like in the fiche: by number and by code, each with the
    fields to change."""

    owner_status = serializers.ChoiceField(choices=ProjectStatus.owner_choices(), required=False)
    narrative = StrictCharField(allow_blank=True, required=False)
    committed_eur = MoneyField(required=False)
    paid_eur = MoneyField(required=False)
    milestones = serializers.DictField(child=MilestonePatchSerializer(), required=False)
    indicator_values = serializers.DictField(child=IndicatorValuePatchSerializer(), required=False)


# -- error bodies -----------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, for people.")
    code = serializers.CharField(help_text="What went wrong, for programs.")


class ValidationErrorSerializer(ErrorSerializer):
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=(
            "The messages per field: `narrative`, `milestones.2.realised_on` (milestone 2), "
            "`indicator_values.OUT1.value`; `non_field_errors` for the fiche as a whole."
        ),
    )
