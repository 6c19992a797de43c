"""Finishing touches on the OpenAPI schema (drf-spectacular's postprocessing hooks)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


def close_request_bodies(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """A request body takes only the keys it lists: the API refuses any other with a 400
    (``fields.ClosedSerializer``), and the schema says so. With ``COMPONENT_SPLIT_REQUEST``
    a request body's component is named ``…Request``."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") and component.get("type") == "object":
            component["additionalProperties"] = False
    return result


def forbid_nul_in_text(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """A text parameter never holds a NUL character: the application refuses one with a 400
    before any view reads it (``relance.middleware.BadParameterMiddleware``: PostgreSQL
    cannot hold it), and the schema says so."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                schema = parameter.get("schema", {})
                if schema.get("type") == "string" and not {"enum", "pattern"} & set(schema):
                    schema["pattern"] = NO_NUL
    return result


NO_NUL = "^[^\\u0000]*$"


class OpenDataSchema(AutoSchema):
    """The open data views' operations with every answer they really give besides 200: 400
    for a parameter they refuse (by name), 404 for a path or cursor that names nothing, 429
    past the rate limit."""

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        if self.method != "GET":
            return responses
        paged = self._is_list_view() and getattr(self.view, "pagination_class", None)
        filtered = getattr(self.view, "filterset_class", None)
        if paged or filtered:
            responses["400"] = self._get_response_for_code(
                OpenApiResponse(
                    {
                        "type": "object",
                        "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    },
                    description="A parameter it refuses: the messages by parameter name.",
                ),
                "400",
            )
        if "{" in self.path or paged:
            responses["404"] = self._get_response_for_code(
                OpenApiResponse(DetailSerializer, description="No such row, or an invalid cursor."),
                "404",
            )
        responses["429"] = self._get_response_for_code(
            OpenApiResponse(DetailSerializer, description="Past the rate limit."), "429"
        )
        responses["429"]["headers"] = {
            "Retry-After": {
                "schema": {"type": "integer"},
                "description": "Seconds to wait before the next call.",
            }
        }
        return responses


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()
