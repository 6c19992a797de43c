"""The API's exception handler: DRF's, but a 404 in the words of the request's language.

Django's ``get_object_or_404`` raises ``Http404("No ReportingRound matches the given
query.")``, which DRF hands to the client as it is: English whatever the request's language,
and naming a model the client never sees. A 404 says "Niet gevonden." / "Not found."."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)
