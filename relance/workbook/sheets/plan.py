"""The plan's sheets: its structure, projects and milestones (workbook.md)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _lazy

from milestones.models import Milestone
from projects.models import Cluster, PolicyDomain, Project, Speerpunt

from ..parsing import amount, coefficient, date, yes_no
from ..schema import (
    CLUSTER_NUMBER,
    MILESTONE_NUMBER,
    SPEERPUNT_NUMBER,
    Column,
    Kind,
    Public,
    Ref,
    Sheet,
    domain_code,
    optional_text,
    project_code,
    required,
    round_code,
    rrf_columns,
    text,
)


def project_column(path: str) -> Column:
    """The project a row is of, by its code."""
    public = Public("Code van het project (bv. VV001).", "Project code (e.g. VV001).")
    return required("project", project_code, path, repeats=True, public=public)


def project_ref(field: str | None = None) -> Ref:
    """The project a row is of, a row of the projects' sheet (``field``: the foreign key the
    import writes, if any)."""
    return Ref(("project",), "projecten", _lazy("onbekend project: %(value)s"), field)


DOMAINS = Sheet(
    "beleidsdomeinen",
    PolicyDomain,
    about=_lazy("Een beleidsdomein van de overheid, met zijn code."),
    key=("code",),
    columns=(required("code", domain_code, "code"), required("naam", text(200), "name")),
)
SPEERPUNTEN = Sheet(
    "speerpunten",
    Speerpunt,
    about=_lazy("Een speerpunt van het plan."),
    key=("nummer",),
    columns=(required("nummer", SPEERPUNT_NUMBER, "number"), required("naam", text(200), "name")),
)
CLUSTERS = Sheet(
    "clusters",
    Cluster,
    about=_lazy("Een cluster van projecten binnen een speerpunt."),
    key=("nummer",),
    columns=(
        required("nummer", CLUSTER_NUMBER, "number"),
        required("speerpunt", SPEERPUNT_NUMBER, "speerpunt__number"),
        required("naam", text(200), "name"),
    ),
    refs=(
        Ref(("speerpunt",), "speerpunten", _lazy("onbekend speerpunt: %(value)s"), "speerpunt_id"),
    ),
)
PROJECTS = Sheet(
    "projecten",
    Project,
    about=_lazy("Een project: titel, cluster, beleidsdomein, budget, RRF en transities."),
    key=("code",),
    columns=(
        required(
            "code", project_code, "code", public=Public("Code van het project.", "Project code.")
        ),
        required("titel", text(500), "title", public=Public("Titel.", "Title.")),
        required(
            "cluster",
            CLUSTER_NUMBER,
            "cluster__number",
            repeats=True,
            public=Public("Nummer van de cluster (planbreed).", "Cluster number (plan-wide)."),
        ),
        required(
            "beleidsdomein",
            domain_code,
            "domain__code",
            repeats=True,
            public=Public("Code van het beleidsdomein.", "Policy domain code."),
        ),
        optional_text(
            "entiteit", "entity", 200, public=Public("Uitvoerende entiteit.", "Executing entity.")
        ),
        required(
            "budget_eur",
            amount,
            "budget_eur",
            public=Public(
                "Huidig relancebudget van het project.", "The project's current recovery budget."
            ),
        ),
        Column(
            "rrf",
            yes_no,
            "is_rrf",
            empty=False,
            show=lambda value: "ja" if value else "nee",
            public=Public(
                "Ook in het Belgische plan voor de Europese Recovery and Resilience Facility.",
                "Also part of Belgium's plan under the EU Recovery and Resilience Facility.",
            ),
        ),
        optional_text(
            "rrf_maatregel",
            "rrf_measure",
            50,
            kind=Kind.CODE,
            public=Public("RRF-maatregel (bv. I-2.09).", "RRF measure (e.g. I-2.09)."),
        ),
        Column("startdatum", date, "start_date", public=Public("Startdatum.", "Start date.")),
        Column("einddatum", date, "end_date", public=Public("Einddatum.", "End date.")),
        Column(
            "klimaatcoefficient",
            coefficient,
            "climate_coefficient",
            empty=0,
            since=2,
            public=Public(
                "Klimaatcoëfficiënt: het deel van het budget (0, 40 of 100%) dat telt voor de "
                "klimaattransitie, zoals de RRF.",
                "Climate coefficient: the share of the budget (0, 40 or 100%) that counts for "
                "the climate transition, as in the RRF.",
            ),
        ),
        Column(
            "digitaalcoefficient",
            coefficient,
            "digital_coefficient",
            empty=0,
            since=2,
            public=Public(
                "Digitale coëfficiënt: het deel van het budget (0, 40 of 100%) dat telt voor "
                "de digitale transitie, zoals de RRF.",
                "Digital coefficient: the share of the budget (0, 40 or 100%) that counts for "
                "the digital transition, as in the RRF.",
            ),
        ),
        Column(
            "buiten_plan_vanaf", round_code, "left_plan_from__code", since=2, in_round_export=False
        ),
        optional_text("reden_buiten_plan", "left_plan_reason", since=2, in_round_export=False),
    ),
    refs=(
        Ref(("cluster",), "clusters", _lazy("onbekende cluster: %(value)s"), "cluster_id"),
        Ref(
            ("beleidsdomein",),
            "beleidsdomeinen",
            _lazy("onbekend beleidsdomein: %(value)s"),
            "domain_id",
        ),
        # A round the file creates has no id yet: set once the rounds are written.
        Ref(
            ("buiten_plan_vanaf",),
            "meetmomenten",
            _lazy("onbekend meetmoment: %(value)s"),
            "left_plan_from_id",
        ),
    ),
)
MILESTONES = Sheet(
    "mijlpalen",
    Milestone,
    about=_lazy("Een mijlpaal van een project, met zijn oorspronkelijke deadline."),
    key=("project", "nummer"),
    columns=(
        project_column("project__code"),
        required(
            "nummer",
            MILESTONE_NUMBER,
            "number",
            public=Public("Nummer binnen het project.", "Number within the project."),
        ),
        required(
            "omschrijving", text(), "description", public=Public("Omschrijving.", "Description.")
        ),
        required(
            "deadline",
            date,
            "deadline",
            public=Public(
                "Oorspronkelijke deadline; die verschuift nooit.",
                "Original deadline; it never moves.",
            ),
        ),
        optional_text(
            "rrf_referentie",
            "rrf_reference",
            50,
            kind=Kind.CODE,
            public=Public("RRF-referentie (bv. I-2.09).", "RRF reference (e.g. I-2.09)."),
        ),
        *rrf_columns(),
    ),
    refs=(project_ref("project_id"),),
)
