"""Finishing touches on the OpenAPI schema (drf-spectacular's postprocessing hooks)."""

from __future__ import annotations

from typing import Any


def close_request_bodies(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """A request body takes only the keys it lists: the API refuses any other with a 400
    (``fields.ClosedSerializer``), and the schema says so. With ``COMPONENT_SPLIT_REQUEST``
    a request body's component is named ``…Request``."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") and component.get("type") == "object":
            component["additionalProperties"] = False
    return result
