"""django-tables2's signature of a cell's method, kept once per function
(projects/table_cells.py): the same answer as the library's own, for every kind of callable
a column may have; a cell's attributes written once per column, and a row written at once
(projects/templatetags/table_cells.py): the same HTML as the template's loop wrote."""

import datetime as dt
import functools
import itertools
from decimal import Decimal

import django_tables2 as tables
import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.html import format_html
from django_tables2 import utils

from milestones.models import Milestone
from milestones.tables import MilestoneTable
from projects import table_cells
from projects.models import Fiche, Project, ReviewState
from projects.tables import ProjectTable
from projects.templatetags.table_cells import td_attrs
from tests.factories import FicheFactory, MilestoneFactory
from tests.lists import LISTS


class Sample:
    def method(self, value, record):
        return value

    def catch_all(self, value, **kwargs):
        return value

    def star(*args, **kwargs):  # the instance in *args
        return args

    @classmethod
    def klass(cls, record):
        return record

    @staticmethod
    def static(value, table):
        return value

    def __call__(self, bound_row):
        return bound_row


def function(value, column=None):
    return value


def callables():
    sample = Sample()
    yield from (sample.method, sample.catch_all, sample.star, sample.klass, sample.static)
    yield from (Sample.method, sample, function, lambda record: record, lambda: None)
    yield functools.partial(function, column=None)
    for table in (ProjectTable([]), MilestoneTable([])):
        for name in dir(table):
            if name.startswith(("render_", "value_", "order_")) and callable(getattr(table, name)):
                yield getattr(table, name)
    yield tables.Column().render


def test_installed_at_start_up():
    assert utils.signature is table_cells.signature


def test_the_same_signature_as_the_librarys_own():
    for fn in callables():
        assert table_cells.signature(fn) == table_cells._computed(fn), fn
        assert table_cells.signature(fn) == table_cells.signature(fn), fn  # kept, the same


# ---- A data cell's attributes, once per column (templates/includes/_table.html) ----------


class Computed(tables.Table):
    """A column whose cells' attributes are computed from the row, beside a fixed one."""

    name = tables.Column(attrs={"td": {"data-name": lambda record: record["name"]}})
    size = tables.Column(attrs={"td": {"class": "num", "data-label": "Size"}})

    class Meta:
        attrs = {"td": {"class": "cell"}}


def _cells(table):
    """Each data cell's attributes as the template writes them, and as django-tables2 does."""
    for row in table.rows:
        for column, _cell in row.items():
            yield td_attrs(column), column.attrs["td"].as_html()


def test_a_cells_attributes_are_those_django_tables2_writes():
    table = Computed([{"name": "a", "size": 1}, {"name": "b", "size": 2}])
    written = list(_cells(table))

    assert [ours for ours, _theirs in written] == [theirs for _ours, theirs in written]
    assert [ours for ours, _theirs in written] == [
        'data-name="a"', 'class="num" data-label="Size"',
        'data-name="b"', 'class="num" data-label="Size"',
    ]  # fmt: skip


@pytest.mark.django_db
def test_the_lists_tables_write_the_same_cells(project):
    MilestoneFactory(project=project)
    for table in (ProjectTable(Project.objects.all()), MilestoneTable(Milestone.objects.all())):
        written = list(_cells(table))
        assert written
        assert all(ours == theirs for ours, theirs in written), written


# ---- A data row written at once (templates/includes/_table.html) --------------------------

# The loop the template wrote every row with, before {% table_row %}.
LOOP = Template(
    "{% load table_cells %}{% for row in table.paginated_rows %}"
    "<tr {{ row.attrs.as_html }}>\n          {% for column, cell in row.items %}"
    "\n            <td {{ column|td_attrs }}>{{ cell }}</td>\n          {% endfor %}\n        </tr>"
    "{% endfor %}"
)
TAG = Template(
    "{% load table_cells %}{% for row in table.paginated_rows %}{% table_row row %}{% endfor %}"
)


def _both(table):
    """The table's rows as the loop wrote them and as {% table_row %} does, each from the
    first row's count (a row's even or odd class counts the rows made)."""
    written = []
    for template in (LOOP, TAG):
        table._counter = itertools.count()
        written.append(template.render(Context({"table": table})))
    return written


class Assorted(tables.Table):
    """Values the template localises and escapes, a default, a hidden column, row
    attributes computed from the record, and a link."""

    name = tables.Column(attrs={"td": {"data-name": lambda record: record["name"]}})
    amount = tables.Column()
    day = tables.Column()
    missing = tables.Column(default="—")
    hidden = tables.Column(visible=False)
    link = tables.Column(linkify=lambda record: f"/x/{record['name']}/")

    class Meta:
        row_attrs = {"data-id": lambda record: record["name"], "class": "row"}


ASSORTED = [
    {"name": "<b>a</b>", "amount": Decimal("1234.5"), "day": dt.date(2024, 12, 31),
     "missing": None, "hidden": 1, "link": "x & y"},
    {"name": "b", "amount": 3, "day": None, "missing": "", "hidden": 2, "link": None},
    {"name": "c", "amount": 1.5, "day": dt.date(2025, 1, 1), "missing": "er", "hidden": 3,
     "link": "z"},
]  # fmt: skip


class Rendered(tables.Table):
    """Render methods that take every argument, some of them, or one never offered; an
    accessor that names nothing."""

    a = tables.Column()
    b = tables.Column()
    c = tables.Column()
    d = tables.Column(accessor="a__")

    def render_a(self, value, **kwargs):
        return f"{value}:{kwargs['record']['b']}:{kwargs['bound_column'].name}"

    def render_b(self, record, table, bound_row):
        return format_html("<i>{}</i>", record["a"])

    def render_c(self, value, unknown):
        return "never"


class Fiches(tables.Table):
    """Model records: a field with choices (its get_FOO_display), values across relations."""

    review_state = tables.Column()
    status = tables.Column()
    round = tables.Column(accessor="round__code")
    title = tables.Column(accessor="project__title")
    owner = tables.Column(accessor="project__domain__name")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_row_written_at_once_is_the_loops_row(language):
    for table in (
        Assorted(ASSORTED),
        Rendered([{"a": 1, "b": 2, "c": 3}, {"a": "<x>", "b": None, "c": 4}]),
        Computed([{"name": "a", "size": 1}, {"name": "b", "size": 2}]),
    ):
        table.paginate(per_page=10)
        with translation.override(language):
            loop, tag = _both(table)
        assert "<td" in loop
        assert tag == loop


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "en"])
def test_model_rows_written_at_once_are_the_loops_rows(language):
    fiche = FicheFactory(review_state=ReviewState.SUBMITTED)
    FicheFactory(round=fiche.round)
    table = Fiches(Fiche.objects.order_by("pk"))
    table.paginate(per_page=10)
    with translation.override(language):
        loop, tag = _both(table)
        assert str(ReviewState.SUBMITTED.label) in loop  # get_review_state_display()
    assert tag == loop


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("case", LISTS, ids=str)
def test_the_lists_rows_written_at_once_are_the_loops_rows(
    client, coordinator, domain, other_domain, case, language
):
    case.plan(domain, other_domain)
    client.force_login(coordinator)
    table = client.get(case.url, HTTP_ACCEPT_LANGUAGE=language).context["table"]
    with translation.override(language):
        loop, tag = _both(table)
    assert 'class="badge' in loop
    assert tag == loop
