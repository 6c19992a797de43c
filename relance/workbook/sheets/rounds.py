"""The sheets of the rounds: the rounds themselves and what each round reports (workbook.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models import Case, CharField, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _lazy

from milestones.models import MilestoneState, MilestoneStatus
from projects.models import (
    Fiche,
    IndicatorDefinition,
    IndicatorKind,
    IndicatorValue,
    ProjectStatus,
    ReportingRound,
    StatusFlag,
)

from ..parsing import (
    FLAG_WORDS,
    MILESTONE_STATUS_WORDS,
    PROJECT_STATUS_WORDS,
    ROUND_STATE_WORDS,
    amount,
    date,
    flag_level,
    indicator_kind,
    milestone_status,
    project_status,
    quantity,
    round_state,
)
from ..schema import (
    INDICATOR_CODE,
    MILESTONE_NUMBER,
    SMALLINT_MAX,
    Column,
    Kind,
    Public,
    Ref,
    Sheet,
    as_stored,
    number_between,
    optional_text,
    required,
    round_code,
    rrf_columns,
    text,
)
from .plan import project_column, project_ref

ROUND = Public("Code van het meetmoment (JJJJ-MM).", "Code of the reporting round (YYYY-MM).")
NOTE = Public("Toelichting.", "Note.")

# The motivation of a flag that a workbook gave without one (a flag word in the status
# column, as older files have it) or that was stored without a flag record. It is data, in
# the plan's language, and the same text every time so that a file imports the same twice.
UNMOTIVATED = "Markering uit een werkboek, zonder motivering."


# The round a row of a round's sheet belongs to.
IN_ROUND = required("meetmoment", round_code, "round__code", repeats=True, public=ROUND)


def _round_sheet(
    name: str,
    model: type[models.Model],
    *,
    project: str,
    key: tuple[str, ...],
    columns: tuple[Column, ...],
    refs: tuple[Ref, ...],
    in_round: Column = IN_ROUND,
    read: Callable[[models.QuerySet[Any]], models.QuerySet[Any]] = as_stored,
    about: Any = "",
) -> Sheet:
    """A sheet of what a round reports per project: the round (``in_round``, a row of the
    rounds' sheet) and the project (by ``project``, its code's path) lead the key and the
    columns."""
    in_rounds = Ref(
        ("meetmoment",), "meetmomenten", _lazy("onbekend meetmoment: %(value)s"), "round_id"
    )
    return Sheet(
        name,
        model,
        key=("meetmoment", "project", *key),
        columns=(in_round, project_column(project), *columns),
        refs=(in_rounds, *refs),
        round_column="meetmoment",
        read=read,
        about=about,
    )


ROUNDS = Sheet(
    "meetmomenten",
    ReportingRound,
    about=_lazy("Een meetmoment: referentiedatum, deadline, status en envelop."),
    key=("code",),
    columns=(
        required("code", round_code, "code", public=Public("Code (JJJJ-MM).", "Code (YYYY-MM).")),
        optional_text("naam", "name", 100, public=Public("Naam.", "Name.")),
        required(
            "referentiedatum",
            date,
            "reference_date",
            public=Public("De datum waarop de cijfers slaan.", "The date the figures refer to."),
        ),
        Column(
            "deadline",
            date,
            "deadline",
            public=Public(
                "De uiterste datum voor de projecteigenaars.", "The project owners' deadline."
            ),
        ),
        # The state follows once every sheet is written (tables/rounds.py).
        Column(
            "status",
            round_state,
            "state",
            empty="draft",
            show=ROUND_STATE_WORDS.get,
            written=False,
        ),
        Column("envelop_eur", amount, "envelope_eur", since=2, kept=True),
    ),
    round_column="code",
)


def _fiche_as_reported(queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    """The owner's status, the flag and its motivation, as the sheet's columns hold them."""
    # ProjectStatus.of_round(owner_status, flag) read backwards: while a flag is raised, the
    # fiche's status is the flag's level and the owner's report is kept aside.
    flagged = Q(status__in=ProjectStatus.flags())
    raised = StatusFlag.objects.filter(fiche=OuterRef("pk"), lifted_at__isnull=True)
    return queryset.annotate(
        reported_status=Case(When(flagged, then=F("owner_status")), default=F("status")),
        flag_level=Case(
            When(flagged, then=F("status")), default=Value(None, output_field=CharField())
        ),
        flag_motivation=Case(
            When(
                flagged,
                then=Coalesce(Subquery(raised.values("motivation")[:1]), Value(UNMOTIVATED)),
            ),
            default=Value(""),
            output_field=models.TextField(),
        ),
        raised_flag=Subquery(raised.values("pk")[:1]),
    )


FICHES = _round_sheet(
    "rapportering",
    Fiche,
    about=_lazy(
        "De fiche van een project in een meetmoment: status, VAK, VEK, toelichting, markering."
    ),
    project="project__code",
    key=(),
    columns=(
        # What the owner reported; the flag is the coordinators' (tables/fiches.py).
        required(
            "status",
            project_status,
            "reported_status",
            show=PROJECT_STATUS_WORDS.get,
            repeats=True,
            written=False,
        ),
        Column(
            "vastgelegd_eur",
            amount,
            "finance__committed_eur",
            public=Public(
                "Vastleggingskredieten (VAK), cumulatief tot de referentiedatum.",
                "Commitments (VAK), cumulative to the reference date.",
            ),
        ),
        Column(
            "vereffend_eur",
            amount,
            "finance__paid_eur",
            public=Public(
                "Vereffeningskredieten (VEK), cumulatief tot de referentiedatum.",
                "Payments (VEK), cumulative to the reference date.",
            ),
        ),
        optional_text(
            "toelichting",
            "narrative",
            public=Public("Toelichting van de projecteigenaar.", "The project owner's narrative."),
        ),
        Column("budget_eur", amount, "finance__budget_eur", since=2, kept=True),
        Column(
            "markering",
            flag_level,
            "flag_level",
            since=2,
            show=FLAG_WORDS.get,
            repeats=True,
            written=False,
        ),
        optional_text("motivatie", "flag_motivation", since=2, written=False),
    ),
    refs=(project_ref("project_id"),),
    read=_fiche_as_reported,
)
MILESTONE_STATUSES = _round_sheet(
    "mijlpaalstatus",
    MilestoneStatus,
    about=_lazy("De status van een mijlpaal in een meetmoment, met realisatiedatum of vertraging."),
    project="milestone__project__code",
    key=("mijlpaal",),
    columns=(
        required(
            "mijlpaal",
            MILESTONE_NUMBER,
            "milestone__number",
            repeats=True,
            public=Public("Nummer van de mijlpaal.", "Milestone number."),
        ),
        required(
            "status",
            milestone_status,
            "status",
            show=MILESTONE_STATUS_WORDS.get,
            repeats=True,
            choices=MilestoneState,
            public=Public("Status van de mijlpaal.", "The milestone's status."),
        ),
        Column(
            "realisatiedatum",
            date,
            "realised_on",
            public=Public(
                "Wanneer de mijlpaal gerealiseerd werd.", "When the milestone was realised."
            ),
        ),
        optional_text("toelichting", "note", public=NOTE),
        Column(
            "verwachte_datum",
            date,
            "forecast_date",
            since=2,
            public=Public(
                "Nieuwe verwachte datum van een vertraagde mijlpaal.",
                "New expected date of a delayed milestone.",
            ),
        ),
        optional_text(
            "reden_vertraging",
            "delay_reason",
            since=2,
            public=Public("Reden van de vertraging.", "Reason for the delay."),
        ),
        Column(
            "uitgesteld",
            number_between(0, SMALLINT_MAX),
            "postponements",
            since=2,
            kept=True,
            public=Public(
                "Hoe vaak de verwachte datum verschoof, over alle meetmomenten.",
                "How often the expected date moved, over all rounds.",
                name="aantal_keer_uitgesteld",
            ),
        ),
    ),
    refs=(
        Ref(
            ("project", "mijlpaal"),
            "mijlpalen",
            _lazy("onbekende mijlpaal: %(value)s"),
            "milestone_id",
        ),
    ),
)
INDICATORS = _round_sheet(
    "indicatoren",
    IndicatorDefinition,
    about=_lazy("Een indicator van een project zoals hij in een meetmoment gedefinieerd is."),
    # Without a meetmoment: the open round's definition, or with no round open, the one the
    # next round to open takes over (the key's meetmoment is then None).
    in_round=Column("meetmoment", round_code, "round__code", since=2, repeats=True),
    project="indicator__project__code",
    key=("code",),
    columns=(
        required(
            "code",
            INDICATOR_CODE,
            "indicator__code",
            kind=Kind.CODE,
            public=Public(
                "Code van de indicator binnen het project (bv. OUT1).",
                "Indicator code within the project (e.g. OUT1).",
            ),
        ),
        required("naam", text(300), "name", public=Public("Naam.", "Name.")),
        required(
            "soort",
            indicator_kind,
            "kind",
            choices=IndicatorKind,
            public=Public("Soort.", "Kind."),
        ),
        optional_text("eenheid", "unit", 50, public=Public("Eenheid.", "Unit.")),
        Column("basiswaarde", quantity, "baseline", public=Public("Basiswaarde.", "Baseline.")),
        Column("streefwaarde", quantity, "target", public=Public("Streefwaarde.", "Target.")),
        Column(
            "streefdatum",
            date,
            "target_date",
            public=Public("Streefdatum.", "Target date."),
        ),
        optional_text(
            "rrf_referentie",
            "rrf_reference",
            50,
            kind=Kind.CODE,
            public=Public("RRF-referentie.", "RRF reference."),
        ),
        *rrf_columns(),
    ),
    # The indicator (project and code) is made when first named: tables/rounds.py.
    refs=(project_ref(),),
)
INDICATOR_VALUES = _round_sheet(
    "indicatorwaarden",
    IndicatorValue,
    about=_lazy("De waarde van een indicator in een meetmoment."),
    project="indicator__project__code",
    key=("indicator",),
    columns=(
        required(
            "indicator",
            INDICATOR_CODE,
            "indicator__code",
            kind=Kind.CODE,
            public=Public("Code van de indicator.", "Indicator code."),
        ),
        required("waarde", quantity, "value", public=Public("Gemeten waarde.", "Measured value.")),
        optional_text("toelichting", "note", public=NOTE),
    ),
    refs=(
        Ref(
            ("project", "indicator"),
            "indicator",
            _lazy("onbekende indicator: %(value)s"),
            "indicator_id",
        ),
    ),
)
