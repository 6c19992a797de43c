"""The public project list (/public/projects/): the projects of one closed round with their
status and money, filtered as the dashboard's tiles, bars and heat-map cells ask."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects.models import Fiche, ProjectStatus, ReportingRound
from relance.opendata.queries import round_fiches
from relance.reporting.access import default_round
from relance.summary.figures import scope

from .dashboard import PlanChoices


class PublicProjectFilter(forms.Form):
    """The list's choices, all optional: a value not on offer is dropped (the default
    stands), like the dashboard's."""

    round = forms.ChoiceField(label=gettext_lazy("Meetmoment"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    speerpunt = forms.TypedChoiceField(
        label=gettext_lazy("Speerpunt"), coerce=int, required=False, empty_value=None
    )
    cluster = forms.TypedChoiceField(
        label=gettext_lazy("Cluster"), coerce=int, required=False, empty_value=None
    )
    domain = forms.ChoiceField(label=gettext_lazy("Beleidsdomein"), required=False)
    rrf = forms.BooleanField(label=gettext_lazy("Enkel RRF-projecten"), required=False)

    def __init__(self, data: Any, *, rounds: list[ReportingRound], choices: PlanChoices) -> None:
        super().__init__(data)
        self.rounds = rounds
        fields: dict[str, Any] = self.fields
        fields["round"].choices = [(r.code, str(r)) for r in rounds]
        fields["status"].choices = [("", _("Alle statussen")), *ProjectStatus.choices]
        fields["speerpunt"].choices = [("", _("Alle speerpunten"))] + [
            (s.number, f"{s.number}. {s.display_name}") for s in choices.speerpunten
        ]
        fields["cluster"].choices = [("", _("Alle clusters")), *choices.clusters]
        fields["domain"].choices = [("", _("Alle beleidsdomeinen"))] + [
            (d.code, str(d)) for d in choices.domains
        ]
        for name, field in fields.items():
            css = "form-check-input" if name == "rrf" else "form-select form-select-sm"
            field.widget.attrs["class"] = css
        self.is_valid()

    def chosen(self) -> dict[str, Any] | None:
        """published_projects' arguments: the valid choices, with the latest closed round by
        default; None without a closed round."""
        data = {name: self.cleaned_data.get(name) for name in self.fields}
        chosen = next((r for r in self.rounds if r.code == data["round"]), None)
        data["round"] = chosen or default_round(self.rounds)
        if data["round"] is None:
            return None
        if chosen is None:  # the select shows the round the page shows
            shown = QueryDict(mutable=True)
            shown.update(self.data)
            shown["round"] = data["round"].code
            self.data = shown
        data["reporting_round"] = data.pop("round")
        data["status"] = data["status"] or None
        data["domain"] = data["domain"] or None
        data["rrf"] = bool(data["rrf"])
        return data


def published_projects(
    reporting_round: ReportingRound,
    *,
    status: str | None = None,
    speerpunt: int | None = None,
    cluster: int | None = None,
    domain: str | None = None,
    rrf: bool = False,
) -> QuerySet[Fiche]:
    """The fiches of a closed round (none for any other round) that the filters keep, with
    their project and money, by project code: the projects round_summary counts there."""
    fiches = round_fiches(reporting_round).filter(scope(speerpunt, domain, rrf))
    if status is not None:
        fiches = fiches.filter(status=status)
    if cluster is not None:
        fiches = fiches.filter(project__cluster__number=cluster)
    return fiches
