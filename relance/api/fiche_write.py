"""A fiche of the open round through the API: read as the fiche form shows it, written
through the fiche form's own forms and service.

A PATCH is the fiche form posted with the stored values, the PATCH's fields put in: the
same forms check it (``relance.fiches.forms``: formats, bounds, each milestone's rules) and
the same service saves it (``services.save_fiche``, with the version from ``If-Match`` and
``Channel.API`` in the history). Nothing here judges a fiche on its own.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from projects.models import Fiche, User
from relance.audit.channels import Channel
from relance.fiches import checks, services
from relance.fiches.checks import Finding
from relance.fiches.forms import fiche_input
from relance.fiches.views import FicheForms

FICHE_FIELDS = ("owner_status", "narrative", "committed_eur", "paid_eur")
MILESTONE_FIELDS = ("status", "realised_on", "forecast_date", "delay_reason", "note")
VALUE_FIELDS = ("value", "note")


class PatchInvalid(Exception):
    """The input cannot be saved: messages per field path (``narrative``,
    ``milestones.2.realised_on``, ``indicator_values.OUT1.value``)."""

    def __init__(self, errors: dict[str, list[str]], code: str = "invalid") -> None:
        super().__init__(errors)
        self.errors = errors
        self.code = code


def _text(value: Any) -> str:
    """A stored value as the form's text (what a browser would post back)."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _quantity(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def finding_path(finding: Finding) -> str:
    """Where a finding points, as the error bodies name fields."""
    if finding.milestone is not None:
        return ".".join(
            part for part in ("milestones", str(finding.milestone), finding.field or "") if part
        )
    return finding.field or "non_field_errors"


def fiche_record(fiche: Fiche, forms: FicheForms, *, editable: bool) -> dict[str, Any]:
    """The fiche as its form shows it: the stored values, and the rules' findings on them."""
    main = forms.main.initial
    by_milestone = {form.initial["milestone"]: form.initial for form in forms.milestone_forms}
    by_indicator = {form.initial["indicator"]: form.initial for form in forms.value_forms}
    return {
        "round": fiche.round.code,
        "project": fiche.project.code,
        "project_title": fiche.project.title,
        "version": fiche.version,
        "review_state": fiche.review_state,
        "editable": editable,
        "status": fiche.status,
        "owner_status": fiche.owner_status,
        "narrative": fiche.narrative,
        "committed_eur": _money(main["committed_eur"]),
        "paid_eur": _money(main["paid_eur"]),
        "milestones": {
            str(milestone.number): {
                "description": milestone.description,
                "deadline": milestone.deadline.isoformat(),
                "status": by_milestone[pk].get("status", ""),
                "realised_on": _text(by_milestone[pk].get("realised_on")) or None,
                "forecast_date": _text(by_milestone[pk].get("forecast_date")) or None,
                "delay_reason": by_milestone[pk].get("delay_reason", ""),
                "note": by_milestone[pk].get("note", ""),
            }
            for pk, milestone in forms.milestones.items()
        },
        "indicator_values": {
            definition.indicator.code: {
                "name": definition.name,
                "unit": definition.unit,
                "value": _quantity(by_indicator[definition.indicator_id]["value"]),
                "note": by_indicator[definition.indicator_id]["note"],
            }
            for definition in forms.definitions
        },
        "findings": [
            {
                "rule": finding.rule,
                "level": finding.level,
                "field": finding_path(finding),
                "milestone": finding.milestone,
                "message": str(finding.message),
            }
            for finding in checks.run_checks(forms.view)
        ],
    }


def entity_tag(record: Mapping[str, Any]) -> str:
    """The record's strong ETag: the fiche's version (what a write claims, as the form's
    hidden field does) and a digest of everything the record says, so that any change to
    what GET shows changes the tag."""
    body = {key: value for key, value in record.items() if key != "editable"}
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:20]
    return f'"{record["version"]}-{digest}"'


def version_of(tag: str) -> int:
    """The version an ETag of ``entity_tag`` names."""
    return int(tag.strip('"').split("-", 1)[0])


def form_data(fiche: Fiche, forms: FicheForms, patch: Mapping[str, Any]) -> dict[str, str]:
    """The fiche form's POST for the stored fiche with ``patch`` put in; a milestone or an
    indicator the project does not have is a ``PatchInvalid``."""
    milestones = {str(m.number): pk for pk, m in forms.milestones.items()}
    indicators = {d.indicator.code: d.indicator_id for d in forms.definitions}
    errors = {
        f"milestones.{key}": [_("Deze mijlpaal hoort niet bij het project.")]
        for key in patch.get("milestones", {})
        if key not in milestones
    } | {
        f"indicator_values.{key}": [_("Deze indicator hoort niet bij het project.")]
        for key in patch.get("indicator_values", {})
        if key not in indicators
    }
    if errors:
        raise PatchInvalid(errors)

    data = {"fiche-version": str(fiche.version)}
    for name in FICHE_FIELDS:
        data[f"fiche-{name}"] = _text(patch.get(name, forms.main.initial[name]))
    patched_milestones = {
        milestones[key]: entry for key, entry in patch.get("milestones", {}).items()
    }
    milestone_rows = list(forms.milestone_forms.initial or [])
    data["ms-TOTAL_FORMS"] = data["ms-INITIAL_FORMS"] = str(len(milestone_rows))
    for i, initial in enumerate(milestone_rows):
        row = {name: initial.get(name, "") for name in MILESTONE_FIELDS}
        row |= patched_milestones.get(initial["milestone"], {})
        data[f"ms-{i}-milestone"] = str(initial["milestone"])
        data |= {f"ms-{i}-{name}": _text(row[name]) for name in MILESTONE_FIELDS}
    patched_values = {
        indicators[key]: entry for key, entry in patch.get("indicator_values", {}).items()
    }
    value_rows = list(forms.value_forms.initial or [])
    data["iv-TOTAL_FORMS"] = data["iv-INITIAL_FORMS"] = str(len(value_rows))
    for i, initial in enumerate(value_rows):
        row = {name: initial[name] for name in VALUE_FIELDS}
        row |= patched_values.get(initial["indicator"], {})
        data[f"iv-{i}-indicator"] = str(initial["indicator"])
        data |= {f"iv-{i}-{name}": _text(row[name]) for name in VALUE_FIELDS}
    return data


def _form_errors(forms: FicheForms) -> dict[str, list[str]]:
    """The bound forms' errors by field path."""
    errors: dict[str, list[str]] = {}

    def add(path: str, messages: Iterable[Any]) -> None:
        errors.setdefault(path, []).extend(str(message) for message in messages)

    for name, messages in forms.main.errors.items():
        add("non_field_errors" if name == "__all__" else name, messages)
    numbers = {pk: m.number for pk, m in forms.milestones.items()}
    for row, initial in zip(
        forms.milestone_forms, forms.milestone_forms.initial or [], strict=True
    ):
        prefix = f"milestones.{numbers[initial['milestone']]}"
        for name, messages in row.errors.items():
            add(prefix if name == "__all__" else f"{prefix}.{name}", messages)
    codes = {d.indicator_id: d.indicator.code for d in forms.definitions}
    for value, initial in zip(forms.value_forms, forms.value_forms.initial or [], strict=True):
        prefix = f"indicator_values.{codes[initial['indicator']]}"
        for name, messages in value.errors.items():
            add(prefix if name == "__all__" else f"{prefix}.{name}", messages)
    return errors


def write_fiche(
    *, fiche: Fiche, patch: Mapping[str, Any], version: int, by: User, submit: bool = False
) -> Fiche:
    """Save ``patch`` into the fiche as the fiche form would (and submit it when asked),
    claiming ``version``: ``services.StaleFicheError`` when someone saved since,
    ``PatchInvalid`` when the forms or, for a submission, the rules refuse it. Nothing is
    written then."""
    stored = FicheForms(fiche)
    data = form_data(fiche, stored, patch)
    data["fiche-version"] = str(version)
    bound = FicheForms(fiche, data)
    valid = [form.is_valid() for form in (bound.main, bound.milestone_forms, bound.value_forms)]
    if not all(valid):
        raise PatchInvalid(_form_errors(bound))
    entry = fiche_input(bound.main, bound.milestone_forms, bound.value_forms)
    if submit:
        missing = [
            finding
            for finding in checks.run_checks(services.input_view(bound.view, entry))
            if finding.is_error
        ]
        if missing:
            errors: dict[str, list[str]] = {}
            for finding in missing:
                errors.setdefault(finding_path(finding), []).append(str(finding.message))
            raise PatchInvalid(errors, code="incomplete")
    try:
        with transaction.atomic():
            return services.save_fiche(
                fiche=fiche, data=entry, by=by, submit=submit, channel=Channel.API
            )
    except services.StaleFicheError:
        raise
    except ValidationError as error:
        raise PatchInvalid({"non_field_errors": list(error.messages)}) from error
