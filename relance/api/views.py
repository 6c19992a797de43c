"""The API's views: GET only, for anyone, closed rounds only.

A round that is open or in preparation is 404 on every endpoint, exactly like a round
that does not exist: the public cannot tell them apart.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch, QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from milestones.models import MilestoneStatus
from projects.models import Fiche, Project, ReportingRound
from relance.opendata.queries import (
    plan_projects,
    published_fiches,
    published_indicators,
    published_round,
    published_rounds,
    round_fiches,
    round_milestone_statuses,
)
from relance.summary.cache import round_summary_json

from . import pagination, serializers
from .filters import FicheFilter, MilestoneStatusFilter, ProjectFilter
from .schema import OpenDataSchema
from .throttling import OpenDataThrottle


class PublicView(APIView):
    """No sign-in and no session: every caller is anonymous, and throttled alike."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    throttle_classes = [OpenDataThrottle]
    filter_backends = [DjangoFilterBackend]
    schema = OpenDataSchema()

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Any:
        # Public: past LoginRequiredMiddleware. DRF marks its views so too; saying it here
        # keeps the promise whatever DRF does.
        return login_not_required(super().as_view(**initkwargs))


class ProjectList(PublicView, generics.ListAPIView):
    """Every project of the plan, by code."""

    queryset = plan_projects()
    serializer_class = serializers.ProjectSerializer
    filterset_class = ProjectFilter
    pagination_class = pagination.ByCode


class ProjectDetail(PublicView, generics.RetrieveAPIView):
    """One project with its milestones, its indicators and its fiches of the closed rounds."""

    serializer_class = serializers.ProjectDetailSerializer
    lookup_field = "code"

    def get_queryset(self) -> QuerySet[Project]:
        return plan_projects().prefetch_related(
            Prefetch("fiches", queryset=published_fiches(), to_attr="published_fiches"),
            "milestones",
        )

    def get_object(self) -> Project:
        project: Project = super().get_object()
        # As the latest closed round defines them, in one query: never a draft's definition.
        project.published_indicators = list(  # type: ignore[attr-defined]
            published_indicators().filter(indicator__project=project)
        )
        return project


class RoundList(PublicView, generics.ListAPIView):
    """The closed rounds, newest first."""

    queryset = published_rounds()
    serializer_class = serializers.RoundSerializer
    pagination_class = pagination.ByReferenceDate


class RoundMixin:
    """A view of one closed round, named by the ``code`` in its path."""

    kwargs: dict[str, Any]

    def get_round(self) -> ReportingRound:
        if not hasattr(self, "_round"):
            self._round = published_round(self.kwargs["code"])
        return self._round


@extend_schema(
    responses={200: OpenApiTypes.OBJECT},
    description=(
        "The round's figures, in total and per speerpunt: the JSON of "
        "`manage.py round_summary CODE --json`. Amounts are strings with two decimals, "
        "percentages numbers rounded half-up to two decimals; changes compare with the "
        "previous round and are null for the first."
    ),
    examples=[
        OpenApiExample(
            "December 2023",
            value={
                "round": "2023-12",
                "reference_date": "2023-12-31",
                "previous_round": "2022-12",
                "projects": {"total": 181, "realised": 33, "in_progress": 141},
                "milestones": {"total": 1753, "on_schedule_or_realised_pct": 84.6},
                "finance": {"budget_eur": "4300000000.00", "paid_pct": 50.28},
                "by_speerpunt": [],
            },
        )
    ],
)
class RoundSummary(RoundMixin, PublicView):
    def get(self, request: Request, code: str) -> Response:
        reporting_round = self.get_round()
        # Its JSON is kept as its summary is (a closed round's never changes).
        return Response(round_summary_json(reporting_round))


class RoundFiches(RoundMixin, PublicView, generics.ListAPIView):
    """The round's fiches, by project: status, narrative, budget, VAK and VEK."""

    serializer_class = serializers.FicheSerializer
    filterset_class = FicheFilter
    pagination_class = pagination.ByProject

    def get_queryset(self) -> QuerySet[Fiche]:
        if getattr(self, "swagger_fake_view", False):  # the schema, without a round
            return Fiche.objects.none()
        return round_fiches(self.get_round())


class RoundMilestones(RoundMixin, PublicView, generics.ListAPIView):
    """The round's milestone statuses, by project and milestone number."""

    serializer_class = serializers.MilestoneStatusSerializer
    filterset_class = MilestoneStatusFilter
    pagination_class = pagination.ByProjectAndMilestone

    def get_queryset(self) -> QuerySet[MilestoneStatus]:
        if getattr(self, "swagger_fake_view", False):
            return MilestoneStatus.objects.none()
        return round_milestone_statuses(self.get_round())
