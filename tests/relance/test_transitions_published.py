"""The transition coefficients and the tagged amounts in the API and open data (issue 14)."""

import pytest

from projects.models import Project
from tests.relance.open_data_plan import make_plan
from tests.relance.test_open_data import download, read_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    plan = make_plan()
    Project.objects.filter(code="VV001").update(climate_coefficient=100, digital_coefficient=40)
    return plan


def test_the_api_gives_each_projects_coefficients_and_the_rounds_tagged_amounts(client, plan):
    project = client.get("/api/projects/VV001/").json()
    summary = client.get("/api/rounds/2023-12/summary/").json()

    assert (project["climate_coefficient"], project["digital_coefficient"]) == (100, 40)
    assert client.get("/api/projects/VV002/").json()["climate_coefficient"] == 0
    budget = summary["by_speerpunt"][0]["finance"]["budget_eur"]  # VV001's speerpunt
    transitions = summary["transitions"]
    assert transitions["plan"]["climate"]["budget_eur"] == "1000000.00"
    assert transitions["plan"]["digital"]["budget_eur"] == "400000.00"
    assert transitions["by_speerpunt"][0]["climate"]["budget_eur"] == "1000000.00" != budget


def test_open_data_publishes_the_coefficients(client, plan):
    projects = read_csv(download(client), "projecten.csv")

    header = projects[0]
    first = dict(zip(header, projects[1], strict=True))
    second = dict(zip(header, projects[2], strict=True))
    assert (first["klimaatcoefficient"], first["digitaalcoefficient"]) == ("100", "40")
    assert (second["klimaatcoefficient"], second["digitaalcoefficient"]) == ("0", "0")
    dictionary = read_csv(download(client), "woordenboek.csv")
    described = {row[1] for row in dictionary if row[0] == "projecten.csv"}
    assert {"klimaatcoefficient", "digitaalcoefficient"} <= described
