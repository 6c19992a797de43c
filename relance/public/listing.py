"""The public project list (/public/projects/): the projects of one closed round with their
status and money, filtered as the dashboard's tiles, bars and heat-map cells ask."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects.models import Fiche, ProjectStatus, ReportingRound
from projects.tables import LateRows
from relance.opendata.queries import round_fiches
from relance.reporting.access import default_round
from relance.summary.figures import scope

from .dashboard import PlanChoices

# Projects per page: a country's round holds 18,100, read a page at a time.
PER_PAGE = 100


class NumberAmong(forms.TypedChoiceField):
    """A choice of one of ``numbers`` (as int, None when empty), checked in the set rather
    than offered: the same values pass as a TypedChoiceField of those numbers, without the
    list of thousands of choices that Django normalises again for every form."""

    def __init__(self, numbers: frozenset[int], **kwargs: Any) -> None:
        super().__init__(coerce=int, empty_value=None, **kwargs)
        self.numbers = numbers

    def valid_value(self, value: Any) -> bool:
        # ChoiceField's test, the text of a choice's number: "007" or "7.0" is none.
        try:
            number = int(value)
        except (TypeError, ValueError):
            return False
        return str(number) == str(value) and number in self.numbers


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
        if choices.clusters is not None:
            fields["cluster"].choices = [("", _("Alle clusters")), *choices.clusters]
        else:
            # A country's thousands of clusters: their number, not a list (a megabyte of
            # options, a second to write); the heat map's cells link to each.
            fields["cluster"] = NumberAmong(
                choices.cluster_numbers,
                label=fields["cluster"].label,
                required=False,
                widget=forms.NumberInput(attrs={"min": 1}),
            )
        fields["domain"].choices = [("", _("Alle beleidsdomeinen"))] + [
            (d.code, str(d)) for d in choices.domains
        ]
        for name, field in fields.items():
            css = "form-check-input" if name == "rrf" else "form-select form-select-sm"
            if isinstance(field.widget, forms.NumberInput):
                css = "form-control form-control-sm"
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

    def query(self) -> str:
        """The chosen filters as a query string (the page links add ``&page=N``)."""
        chosen = self.chosen()
        if chosen is None:
            return ""
        values = {
            "round": chosen["reporting_round"].code,
            "status": chosen["status"],
            "speerpunt": chosen["speerpunt"],
            "cluster": chosen["cluster"],
            "domain": chosen["domain"],
            "rrf": "1" if chosen["rrf"] else None,
        }
        return urlencode({key: value for key, value in values.items() if value is not None})


class CountedPaginator(Paginator):
    """Pages of ``published_projects`` whose count is known (it is kept in the cache with
    the filters), read as LateRows: the page's fiche ids, then those fiches with their
    project and money; the same two queries on the first page and the last."""

    def __init__(self, fiches: QuerySet[Fiche], count: int) -> None:
        super().__init__(fiches, PER_PAGE)
        self.__dict__["count"] = count  # Paginator.count is a cached_property

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        rows: Any = LateRows(self.object_list, bottom, top)  # type: ignore[arg-type]
        return Page(rows, number, self)

    def number(self, asked: Any) -> int:
        """The page ``asked`` for: the first for anything but a number or one below 1, the
        last for a number past it (so that odd pages share the cached ones)."""
        try:
            return self.validate_number(asked)
        except PageNotAnInteger:
            return 1
        except EmptyPage:
            return 1 if int(asked) < 1 else self.num_pages


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
