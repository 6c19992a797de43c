"""?per_page= on the lists is bounded: below 1 (or no number) the list's own page size,
above 500 at most 500 rows; never an error."""

import pytest

from projects.tables import MAX_PER_PAGE
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/projects/", "/milestones/"])
@pytest.mark.parametrize(
    ("asked", "per_page"),
    [("1", 1), ("-5", 50), ("0", 50), ("abc", 50), ("²", 50), ("100000", MAX_PER_PAGE)],
)
def test_per_page_is_bounded(client, reader, url, asked, per_page):
    ProjectFactory.create_batch(3)
    client.force_login(reader)
    response = client.get(url, {"per_page": asked})
    assert response.status_code == 200
    assert response.context["table"].paginator.per_page == per_page


def test_a_huge_page_shows_at_most_the_bound(client, reader):
    ProjectFactory.create_batch(MAX_PER_PAGE + 2)
    client.force_login(reader)
    table = client.get("/projects/", {"per_page": "100000"}).context["table"]
    assert len(table.page.object_list) == MAX_PER_PAGE
    assert table.paginator.num_pages == 2
