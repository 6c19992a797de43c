"""django-tables2's signature of a cell's method, kept once per function
(projects/table_cells.py): the same answer as the library's own, for every kind of callable
a column may have."""

import functools

import django_tables2 as tables
import pytest
from django_tables2 import utils

from milestones.models import Milestone
from milestones.tables import MilestoneTable
from projects import table_cells
from projects.models import Project
from projects.tables import ProjectTable
from projects.templatetags.table_cells import td_attrs
from tests.factories import MilestoneFactory


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
