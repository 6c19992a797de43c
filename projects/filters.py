"""The filters of the project table; ``RoundFilterSet`` and the filter helpers also serve the
milestone table."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import django_filters
from django import forms
from django.db.models import Model, Q, QuerySet
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.http import HttpRequest, QueryDict
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from .markup import escaped, format_html
from .models import Cluster, PolicyDomain, ProjectStatus, ReportingRound, ReviewState, Speerpunt
from .models.plan import ProjectQuerySet
from .permissions import can_read_open_round


def default_round(user: Any) -> ReportingRound | None:
    """The round a list shows first: the open round for those who may read it, else the
    latest closed round."""
    if can_read_open_round(user):
        open_round = ReportingRound.objects.open().first()
        if open_round is not None:
            return open_round
    return ReportingRound.objects.closed().order_by("-reference_date").first()


def _visible_rounds(request: HttpRequest | None) -> QuerySet[ReportingRound]:
    user = getattr(request, "user", None)
    return ReportingRound.objects.visible_to(user).order_by("-reference_date")  # type: ignore[arg-type]


class PlainSelect(forms.Select):
    """A select whose options are written in Python rather than through a template each:
    a filter over the thousands of clusters of a big plan renders in milliseconds, not in
    a second. The same markup as Django's select (no option groups)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        return self.select(name, value, attrs, self.choices)

    def select(
        self, name: str, value: Any, attrs: dict[str, Any] | None, choices: Iterable[Any]
    ) -> SafeString:
        chosen = {str(item) for item in self.format_value(value)}
        options = "".join(
            f'<option value="{escaped(key)}"{" selected" if str(key) in chosen else ""}>'
            f"{escaped(label)}</option>"
            for key, label in choices
        )
        final = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html('<select name="{}"{}>{}</select>', name, final, mark_safe(options))


class NumberPastMany(PlainSelect):
    """A select of records, or a number input past ``MAX_CHOICES`` of them (a hundred
    plans hold 3,600 clusters: such a select helps no one and weighs on every page). The
    same parameter either way, and one query either way, run when the form is shown."""

    MAX_CHOICES = 200

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        iterator = self.choices
        if not isinstance(iterator, ModelChoiceIterator):
            return super().render(name, value, attrs, renderer)
        records = list(iterator.queryset[: self.MAX_CHOICES + 1])
        if len(records) <= self.MAX_CHOICES:
            empty = iterator.field.empty_label
            choices = [("", empty)] if empty is not None else []
            return self.select(name, value, attrs, choices + [iterator.choice(r) for r in records])
        number = forms.NumberInput(attrs={"min": 1, "placeholder": _("Nummer (leeg: alle)")})
        attrs = {**self.attrs, **(attrs or {}), "class": "form-control form-control-sm"}
        return number.render(name, value, attrs, renderer)


class ReadOnceChoices(ModelChoiceIterator):
    """The rounds read once per form: the select's options and its ``required`` check
    (which asks for the first choice, a query of its own with Django's iterator) share
    the field's queryset and its cache."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class RoundChoiceField(forms.ModelChoiceField):
    iterator = ReadOnceChoices
    widget = PlainSelect

    def to_python(self, value: Any) -> ReportingRound | None:
        """The chosen round found among the rounds the select offers (a handful, read once
        for both): Django's field asks the database for it by a query of its own. The same
        round, and the same refusal of one the user may not see."""
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        key = self.to_field_name or "pk"
        if isinstance(value, ReportingRound):
            value = getattr(value, key)
        rounds: Iterable[ReportingRound] = self.queryset if self.queryset is not None else ()
        for reporting_round in rounds:
            if str(getattr(reporting_round, key)) == str(value):
                return reporting_round
        raise forms.ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )

    def label_from_instance(self, obj: Any) -> str:
        if obj.is_closed:
            return str(obj)
        return f"{obj} · {obj.get_state_display()}"


class RoundChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = RoundChoiceField


EVERY = _("Alle")


def choice_filter(
    label: Any, choices: Any, *, empty_label: Any = EVERY, **lookup: Any
) -> django_filters.ChoiceFilter:
    """One of ``choices``, or every row; ``lookup`` names the field or the method. Its
    options written in Python (``PlainSelect``): Django's template per option cost a list
    page a tenth of its time."""
    return django_filters.ChoiceFilter(
        label=label, choices=choices, empty_label=empty_label, widget=PlainSelect, **lookup
    )


def round_status_filter(choices: Any) -> django_filters.ChoiceFilter:
    """The status in the chosen round (``with_round`` annotates it), through the
    queryset's ``in_round_status``."""
    return choice_filter(
        _("Status"), choices, method="filter_round_status", empty_label=_("Alle statussen")
    )


def by_key(
    label: Any,
    field_name: str,
    model: type[Model],
    key: str,
    empty_label: Any,
    widget: type[forms.Select] = PlainSelect,
) -> django_filters.ModelChoiceFilter:
    """A record of ``model``, named by ``key`` in the URL, or every row."""
    return django_filters.ModelChoiceFilter(
        label=label,
        field_name=field_name,
        queryset=model._default_manager.order_by(key),
        to_field_name=key,
        empty_label=empty_label,
        widget=widget,
    )


def speerpunt_filter(field_name: str) -> django_filters.ModelChoiceFilter:
    return by_key(_("Speerpunt"), field_name, Speerpunt, "number", _("Alle speerpunten"))


def domain_filter(field_name: str) -> django_filters.ModelChoiceFilter:
    return by_key(_("Beleidsdomein"), field_name, PolicyDomain, "code", _("Alle beleidsdomeinen"))


FLAG_CHOICES = [("orange", _("oranje")), ("red", _("rood")), ("none", _("geen"))]
YES_NO_CHOICES = [("yes", _("ja")), ("no", _("nee"))]


class RoundFilterSet(django_filters.FilterSet):
    """A filter set whose rows carry the status of one round: the chosen one, among the
    rounds the user may see, or ``default_round``.

    The round does not filter rows: ``with_round`` annotates the queryset with what the
    user may read of that round, before any other filter or the table's sorting runs.
    A round the user may not see is refused by the form, like any invalid choice.
    """

    queryset: Any

    round = RoundChoiceFilter(
        label=_("Meetmoment"),
        queryset=_visible_rounds,
        to_field_name="code",
        empty_label=None,
        method="choose_round",
    )
    q = django_filters.CharFilter(label=_("Zoeken"), method="search")

    def __init__(
        self,
        data: QueryDict | None = None,
        queryset: QuerySet[Any] | None = None,
        *,
        request: HttpRequest | None = None,
        prefix: str | None = None,
    ) -> None:
        self.user = getattr(request, "user", None)
        fallback = default_round(self.user)
        data = data.copy() if data is not None else QueryDict(mutable=True)
        if fallback is not None and not data.get("round"):
            data["round"] = fallback.code
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.form.is_valid()
        self.chosen_round: ReportingRound | None = self.form.cleaned_data.get("round") or fallback
        self.queryset = self.with_round(self.queryset, self.chosen_round)
        for field in self.form.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(field.widget, forms.Select):
                css = "form-select form-select-sm"
            else:
                css = "form-control form-control-sm"
            field.widget.attrs.setdefault("class", css)

    def with_round(self, queryset: Any, reporting_round: ReportingRound | None) -> Any:
        raise NotImplementedError

    def choose_round(self, queryset: Any, name: str, value: Any) -> Any:
        # Already applied by with_round.
        return queryset

    def search(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.search(value)

    def filter_round_status(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.in_round_status([value])


class ProjectFilter(RoundFilterSet):
    speerpunt = speerpunt_filter("cluster__speerpunt")
    cluster = by_key(
        _("Cluster"), "cluster", Cluster, "number", _("Alle clusters"), widget=NumberPastMany
    )
    domain = domain_filter("domain")
    status = round_status_filter(ProjectStatus.choices)
    flag = choice_filter(_("Markering"), FLAG_CHOICES, method="filter_flag")
    review = choice_filter(_("Beoordeling"), ReviewState.choices, method="filter_review")
    rrf = choice_filter(_("RRF-project"), YES_NO_CHOICES, method="filter_rrf")

    def with_round(
        self, queryset: ProjectQuerySet, reporting_round: ReportingRound | None
    ) -> ProjectQuerySet:
        return queryset.with_fiche_in(reporting_round, self.user)  # type: ignore[arg-type]

    def filter_flag(self, queryset: ProjectQuerySet, name: str, value: str) -> ProjectQuerySet:
        if value == "orange":
            return queryset.in_round_status([ProjectStatus.ATTENTION])
        if value == "red":
            return queryset.in_round_status([ProjectStatus.ACTION_REQUIRED])
        # Unflagged: no orange or red that this user may see.
        return queryset.filter(
            ~Q(round_status__in=ProjectStatus.flags()) | Q(round_status__isnull=True)
        )

    def filter_review(self, queryset: ProjectQuerySet, name: str, value: str) -> ProjectQuerySet:
        return queryset.in_round_review([value])

    def filter_rrf(self, queryset: ProjectQuerySet, name: str, value: str) -> ProjectQuerySet:
        return queryset.of_rrf(value == "yes")
