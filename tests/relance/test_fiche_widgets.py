"""The fiche's widgets are drawn from Django's Jinja2 widget templates (for speed: a big
project's fiche has about a hundred inputs); they must read exactly as Django's own
templates draw them, with input, errors and the page's language."""

import datetime as dt
import re
from functools import partial

import pytest
from django.forms.renderers import DjangoTemplates
from django.template import Context, Template
from django.utils import translation

from relance.fiches import forms as fiche_forms
from relance.fiches.snapshots import snapshot
from tests.factories import FicheFactory, MilestoneFactory

pytestmark = pytest.mark.django_db

FORMS = [
    (fiche_forms.FicheForm, {"version": "3", "owner_status": "delayed", "narrative": "Een <b>",
                             "committed_eur": "1.650.000,50", "paid_eur": "-1"}),
    (fiche_forms.IndicatorValueForm, {"indicator": "7", "value": "12,5", "note": "x"}),
    (partial(fiche_forms.IndicatorForm, indicators={}),
     {"id": "", "code": "A1", "name": "Km", "kind": "nope", "target_date": "31-12-2030",
      "baseline": "1", "target": "zz"}),
    (fiche_forms.ReturnForm, {"comment": ""}),
    (fiche_forms.FollowUpForm, {"description": "Bel", "owner": "Ann", "due_date": "morgen"}),
    (fiche_forms.LiftFlagForm, {"reason": "Opgelost"}),
    (fiche_forms.DismissSuggestionForm, {"reason": "", "rule": "W1", "facts": "{}"}),
]  # fmt: skip


def _name(value) -> str:
    return getattr(getattr(value, "func", value), "__name__", "")


def _normalised(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(("form_class", "data"), FORMS, ids=lambda v: _name(v))
@pytest.mark.parametrize("bound", [False, True])
def test_the_widgets_read_as_djangos_own_templates_draw_them(form_class, data, bound, language):
    assert getattr(form_class, "func", form_class).default_renderer is fiche_forms.RENDERER
    with translation.override(language):
        fast = form_class(data if bound else None)
        usual = form_class(data if bound else None, renderer=DjangoTemplates())
        if bound:
            assert fast.is_valid() == usual.is_valid()
        for name in fast.fields:
            assert _normalised(fast[name].as_widget()) == _normalised(usual[name].as_widget())


def test_the_milestone_rows_are_drawn_by_the_fiche_renderer():
    formset = fiche_forms.MilestoneStatusFormSet(
        prefix="ms", initial=[{"milestone": 1}], form_kwargs={"milestones": {}, "fiche": None}
    )
    assert formset.renderer is fiche_forms.RENDERER
    assert all(form.renderer is fiche_forms.RENDERER for form in formset)


MILESTONE_ROW = {
    "ms-0-milestone": "",  # the row's milestone, set in the test
    "ms-0-status": "delayed",
    "ms-0-realised_on": "32-13-2020",
    "ms-0-forecast_date": "",
    "ms-0-delay_reason": 'Een <b> "reden"',
    "ms-0-note": "",
}


@pytest.mark.parametrize("state", ["unbound", "valid", "invalid", "disabled"])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_small_field_draws_a_milestone_field_as_bootstrap_field_does(state, language):
    """``{% small_field %}`` (relance/templatetags/relance_fields.py) stands in for
    ``{% bootstrap_field field size="sm" %}`` on the milestone rows."""
    fiche = FicheFactory()
    milestone = MilestoneFactory(
        project=fiche.project, number=1, description="Gunning", deadline=dt.date(2030, 6, 30)
    )
    data = None
    if state == "valid":
        data = {
            **MILESTONE_ROW,
            "ms-0-milestone": str(milestone.pk),
            "ms-0-realised_on": "",
            "ms-0-forecast_date": "31-12-2031",
        }
    elif state == "invalid":
        data = {**MILESTONE_ROW, "ms-0-milestone": str(milestone.pk)}
    form = fiche_forms.MilestoneStatusForm(
        data,
        prefix="ms-0",
        initial={"milestone": milestone.pk, "status": "on_schedule", "delay_reason": "x & y"},
        milestones={milestone.pk: milestone},
        fiche=snapshot(fiche),
    )
    form.fields["status"].widget.attrs["aria-label"] = 'Status van mijlpaal 1: "<Gunning>"'
    if state == "disabled":
        for declared in form.fields.values():
            declared.disabled = True
    usual = Template('{% load django_bootstrap5 %}{% bootstrap_field field size="sm" %}')
    small = Template("{% load relance_fields %}{% small_field field %}")
    with translation.override(language):
        if state == "invalid":
            assert form.errors["realised_on"]  # the state is what it says
        fields = form.visible_fields()
        assert [field.name for field in fields] == [
            "status", "realised_on", "forecast_date", "delay_reason", "note",
        ]  # fmt: skip
        for field in fields:
            context = Context({"field": field})
            assert _normalised(small.render(context)) == _normalised(usual.render(context))
