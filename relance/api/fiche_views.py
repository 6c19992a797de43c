"""/api/rounds/<code>/fiches/<project>/: a fiche of the open round for those who report for
the project (GET with an ETag, PATCH and submit with If-Match), and a closed round's fiche
as open data publishes it.

Answers, in the order they are decided: 401 without a valid token (anyone may GET a closed
round's fiche); 404 for a round that is not open or closed, a project without a fiche in it;
403 for a user who may not report for the project (a reader, another domain's editor); 409
for a write to a closed round or to a fiche its owners may no longer change (submitted,
approved); 428 without If-Match; 412 when it names an older version; 400 for input that the
fiche form would refuse; 429 past the caller's rate.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import exceptions, status
from rest_framework.authentication import TokenAuthentication
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from projects.models import Fiche, Project, ReportingRound
from projects.models.rounds import RoundState
from projects.permissions import can_edit_fiche, can_report_for
from relance.fiches.services import StaleFicheError
from relance.fiches.views import FicheForms
from relance.opendata.queries import round_fiches

from .fiche_serializers import (
    ErrorSerializer,
    FichePatchSerializer,
    FicheRecordSerializer,
    ValidationErrorSerializer,
)
from .fiche_write import PatchInvalid, entity_tag, fiche_record, version_of, write_fiche
from .serializers import FicheSerializer
from .throttling import FicheApiThrottle


class Refused(exceptions.APIException):
    """A refusal with its own status and code."""

    def __init__(self, status_code: int, detail: str, code: str) -> None:
        self.status_code = status_code
        super().__init__(detail, code)


def flatten(errors: Any, path: str = "") -> dict[str, list[str]]:
    """DRF's nested errors as messages per field path (``milestones.2.status``)."""
    if isinstance(errors, dict):
        flat: dict[str, list[str]] = {}
        for key, value in errors.items():
            flat |= flatten(value, f"{path}.{key}" if path else str(key))
        return flat
    if isinstance(errors, list) and errors and all(isinstance(e, str) for e in errors):
        return {path or "non_field_errors": [str(e) for e in errors]}
    if isinstance(errors, list):
        flat = {}
        for index, value in enumerate(errors):
            flat |= flatten(value, f"{path}.{index}" if path else str(index))
        return flat
    return {path or "non_field_errors": [str(errors)]}


def invalid(errors: dict[str, list[str]], code: str) -> Response:
    detail = (
        _("De fiche is niet ingediend: er ontbreekt nog iets.")
        if code == "incomplete"
        else _("De fiche is niet opgeslagen: verbeter de vermelde velden.")
    )
    return Response(
        {"detail": detail, "code": code, "errors": errors}, status=status.HTTP_400_BAD_REQUEST
    )


# One or more strong tags as ``entity_tag`` writes them.
ETAG_LIST_PATTERN = r'^\s*"[0-9]{1,10}-[0-9a-f]{20}"(\s*,\s*"[0-9]{1,10}-[0-9a-f]{20}")*\s*$'


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200],
    description="The fiche's strong entity tag: send it back in If-Match to change it.",
)
RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    OpenApiTypes.INT,
    OpenApiParameter.HEADER,
    response=[429],
    description="Seconds to wait before the next call.",
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    {"type": "string", "pattern": ETAG_LIST_PATTERN},
    OpenApiParameter.HEADER,
    required=True,
    description=(
        "The ETag of the fiche as last read (GET, or the answer to the last write). "
        "Required: without it 428; when the fiche changed since, 412. `*` and weak tags "
        "are not accepted (428)."
    ),
)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=(
        "The ETag of the fiche as last read: when it is still current, the answer is 304 "
        "with no body (an open round's fiche)."
    ),
)
COMMON = {
    401: _error("No token, or a token that signs no one in."),
    404: _error("No such round (open or closed), or the project has no fiche in it."),
    429: _error("Past the caller's rate: try again after Retry-After seconds."),
}
WRITE = {
    **COMMON,
    400: OpenApiResponse(
        ValidationErrorSerializer, description="Input the fiche form refuses, by field."
    ),
    403: _error("The token's user may not report for this project (another domain, a reader)."),
    409: _error(
        "The round is closed (`round_closed`), or the fiche can no longer be changed by its "
        "owners: submitted or approved (`not_editable`)."
    ),
    412: _error("If-Match names an older version: read the fiche again."),
    415: _error("The body is not JSON."),
    428: _error("If-Match is missing."),
}
WRITE_OK = OpenApiResponse(FicheRecordSerializer, description="The fiche as saved, its new ETag.")


class FicheBase(APIView):
    """What the fiche's endpoints share: token sign-in, the refusals, the answer."""

    authentication_classes = [TokenAuthentication]
    permission_classes: list[Any] = []
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]
    throttle_classes = [FicheApiThrottle]

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Any:
        # Signs its callers in by token, not session: past LoginRequiredMiddleware.
        return login_not_required(super().as_view(**initkwargs))

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, Http404):
            exc = Refused(404, _("Niet gevonden."), "not_found")
        response = super().handle_exception(exc)
        if isinstance(exc, exceptions.APIException) and isinstance(response.data, dict):
            codes = exc.get_codes()
            response.data.setdefault("code", codes if isinstance(codes, str) else "error")
        if isinstance(exc, exceptions.ParseError):
            # A body that is no JSON: a 400 like any other, its message for the body.
            response.data["errors"] = {"non_field_errors": [str(response.data["detail"])]}
        return response

    # -- finding the fiche ------------------------------------------------------------------

    def get_round(self, code: str) -> ReportingRound:
        return get_object_or_404(
            ReportingRound.objects.filter(state__in=[RoundState.OPEN, RoundState.CLOSED]),
            code=code,
        )

    def open_fiche(self, reporting_round: ReportingRound, project_code: str) -> Fiche:
        """The fiche of the open round, for those who report for its project."""
        user = self.request.user
        if not user.is_authenticated:
            raise exceptions.NotAuthenticated
        project = get_object_or_404(Project.objects.with_structure(), code=project_code)
        if not can_report_for(user, project):
            raise Refused(403, _("U mag niet rapporteren voor dit project."), "permission_denied")
        fiche: Fiche = get_object_or_404(
            Fiche.objects.select_related("round", "project__domain"),
            round=reporting_round,
            project=project,
        )
        return fiche

    def writable_fiche(self, code: str, project_code: str) -> Fiche:
        """The fiche a write may change; each refusal with its status."""
        if not self.request.user.is_authenticated:
            raise exceptions.NotAuthenticated
        reporting_round = self.get_round(code)
        if reporting_round.is_closed:
            raise Refused(
                409,
                _("Dit meetmoment is afgesloten: de fiche verandert niet meer."),
                "round_closed",
            )
        fiche = self.open_fiche(reporting_round, project_code)
        if not can_edit_fiche(self.request.user, fiche):
            raise Refused(
                409,
                _("De fiche is ingediend of beoordeeld en kan niet meer gewijzigd worden."),
                "not_editable",
            )
        return fiche

    def expected_version(self, fiche: Fiche) -> int:
        """The version If-Match names, if it is the fiche's current tag."""
        header = self.request.headers.get("If-Match", "").strip()
        if not re.fullmatch(ETAG_LIST_PATTERN, header):
            raise Refused(
                428,
                _(
                    "Stuur de ETag van de fiche mee in If-Match "
                    "(een * of een zwakke ETag volstaat niet)."
                ),
                "precondition_required",
            )
        current = entity_tag(fiche_record(fiche, FicheForms(fiche), editable=True))
        if current not in [tag.strip() for tag in header.split(",")]:
            raise Refused(
                412,
                _("De fiche is intussen gewijzigd: lees ze opnieuw en pas uw wijziging toe."),
                "precondition_failed",
            )
        return version_of(current)

    def answer(self, fiche: Fiche, *, conditional: bool = False) -> Response:
        """The fiche as its record, with its ETag; ``conditional``: 304 and no body when
        If-None-Match already names that ETag (RFC 9110, 13.1.2)."""
        fiche = Fiche.objects.select_related("round", "project__domain").get(pk=fiche.pk)
        record = fiche_record(
            fiche, FicheForms(fiche), editable=can_edit_fiche(self.request.user, fiche)
        )
        tag = entity_tag(record)
        if conditional:
            held = self.request.headers.get("If-None-Match", "")
            # Compared weakly, as RFC 9110 has it for If-None-Match: W/"x" matches "x".
            if held.strip() == "*" or tag in [
                t.strip().removeprefix("W/") for t in held.split(",")
            ]:
                return Response(status=304, headers={"ETag": tag})
        # The record is already the JSON FicheRecordSerializer documents.
        return Response(record, headers={"ETag": tag})

    def write(self, code: str, project: str, *, submit: bool) -> Response:
        fiche = self.writable_fiche(code, project)
        # The input before the precondition (RFC 9110, 13.2.1): a request that would be
        # refused anyway is refused for what it is, whatever its If-Match.
        patch: dict[str, Any] = {}
        if submit:
            if self.request.body:
                return invalid({"non_field_errors": [_("Indienen neemt geen inhoud.")]}, "invalid")
        else:
            serializer = FichePatchSerializer(data=self.request.data)
            if not serializer.is_valid():
                return invalid(flatten(serializer.errors), "invalid")
            patch = dict(serializer.validated_data)
        version = self.expected_version(fiche)
        try:
            saved = write_fiche(
                fiche=fiche, patch=patch, version=version, by=self.request.user, submit=submit
            )
        except StaleFicheError as error:
            raise Refused(412, error.messages[0], "precondition_failed") from error
        except PatchInvalid as error:
            return invalid(error.errors, error.code)
        return self.answer(saved)


@extend_schema(tags=["fiches"])
class FicheEndpoint(FicheBase):
    @extend_schema(
        operation_id="fiche_retrieve",
        # A closed round's fiche is open data: no token needed.
        auth=[{"tokenAuth": []}, {}],  # type: ignore[list-item]  # requirements, as documented
        parameters=[IF_NONE_MATCH, ETAG, RETRY_AFTER],
        description=(
            "A fiche of the open round, as its owners see it on the fiche form (token of a user "
            "who reports for the project), with its ETag; or a closed round's fiche as open "
            "data publishes it (anyone)."
        ),
        responses={
            200: OpenApiResponse(
                PolymorphicProxySerializer(
                    component_name="FicheOfRound",
                    serializers=[FicheRecordSerializer, FicheSerializer],
                    resource_type_field_name=None,
                ),
                description="FicheRecord for the open round (with ETag), Fiche for a closed one.",
            ),
            304: OpenApiResponse(
                description="If-None-Match names the fiche's current ETag: nothing changed."
            ),
            403: _error("The token's user may not report for this project."),
            **COMMON,
        },
    )
    def get(self, request: Request, code: str, project: str) -> Response:
        reporting_round = self.get_round(code)
        if reporting_round.is_closed:
            published = get_object_or_404(round_fiches(reporting_round), project__code=project)
            return Response(FicheSerializer(published, context={"request": request}).data)
        return self.answer(self.open_fiche(reporting_round, project), conditional=True)

    @extend_schema(
        operation_id="fiche_update",
        description=(
            "Change the fiche as its form would: the fields given replace the stored ones, the "
            "rest stays. The same checks as the form; the answer lists the rules' findings."
        ),
        parameters=[IF_MATCH, ETAG, RETRY_AFTER],
        request=FichePatchSerializer,
        responses={200: WRITE_OK, **WRITE},
    )
    def patch(self, request: Request, code: str, project: str) -> Response:
        return self.write(code, project, submit=False)


@extend_schema(tags=["fiches"])
class FicheSubmit(FicheBase):
    @extend_schema(
        operation_id="fiche_submit",
        description=(
            "Submit the fiche as stored for review, as the form's submit button does; refused "
            "with 400 (`incomplete`) listing what it lacks, and then nothing changes."
        ),
        parameters=[IF_MATCH, ETAG, RETRY_AFTER],
        request=None,
        responses={200: WRITE_OK, **WRITE},
    )
    def post(self, request: Request, code: str, project: str) -> Response:
        return self.write(code, project, submit=True)
