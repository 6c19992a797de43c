"""The API's root (/api/: its endpoints as links, HTML or JSON by content negotiation), its
documentation (/api/docs/: Swagger UI from our own static files) and its schema."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.urls import reverse
from drf_spectacular.renderers import (
    OpenApiJsonRenderer,
    OpenApiJsonRenderer2,
    OpenApiYamlRenderer,
    OpenApiYamlRenderer2,
)
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer, TemplateHTMLRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .throttling import OpenDataThrottle


class PublicPage(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [OpenDataThrottle]

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Any:
        return login_not_required(super().as_view(**initkwargs))


class ApiRoot(PublicPage):
    """The API's endpoints: a page for people, JSON for programs (``?format=json``)."""

    renderer_classes = [TemplateHTMLRenderer, JSONRenderer]
    template_name = "relance/api_root.html"

    @extend_schema(exclude=True)
    def get(self, request: Request) -> Response:
        def link(name: str) -> str:
            return request.build_absolute_uri(reverse(name))

        endpoints = {
            "projects": link("api:project-list"),
            "rounds": link("api:round-list"),
            "round_summary": link("api:root") + "rounds/{code}/summary/",
            "round_fiches": link("api:root") + "rounds/{code}/fiches/",
            "round_milestones": link("api:root") + "rounds/{code}/milestones/",
            "fiche": link("api:root") + "rounds/{code}/fiches/{project}/",
            "fiche_submit": link("api:root") + "rounds/{code}/fiches/{project}/submit/",
            "schema": link("api:schema"),
            "docs": link("api:docs"),
        }
        return Response(endpoints)


class Schema(SpectacularAPIView):
    """The schema as JSON first, so that a browser shows it rather than download it;
    ``?format=yaml`` (or ``Accept: application/yaml``) for YAML."""

    renderer_classes = [
        OpenApiJsonRenderer2,
        OpenApiJsonRenderer,
        OpenApiYamlRenderer,
        OpenApiYamlRenderer2,
    ]
    throttle_classes = [OpenDataThrottle]

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Any:
        return login_not_required(super().as_view(**initkwargs))


class Docs(SpectacularSwaggerSplitView):
    """Swagger UI, its initialising script a file of its own (``?script``): the CSP lets
    no inline script run."""

    template_name = "relance/api_docs.html"
    url_name = "api:schema"
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [OpenDataThrottle]

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Any:
        return login_not_required(super().as_view(**initkwargs))
