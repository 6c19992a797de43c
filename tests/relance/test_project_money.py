"""The project page's money over the rounds: budget, VAK and VEK per round as a chart
(static/js/dashboard.js's moneyHistory) with its table, for the rounds the user may see."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import Fiche
from tests.relance.desk_plan import desk_plan

pytestmark = pytest.mark.django_db


def chart_data(response):
    found = re.search(
        r'<script id="dashboard-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert found, "the page holds no chart data"
    return json.loads(found.group(1))["moneyHistory"]


def test_the_project_page_charts_the_money_over_the_rounds(client, coordinator, domain):
    plan = desk_plan([domain], unchanged=0, changed=1)
    fiche = plan.changed[0]
    client.force_login(coordinator)
    response = client.get(reverse("project", args=[fiche.project.code]))
    assert response.status_code == 200
    rows = response.context["money"]
    assert [r.round for r in rows] == [plan.closed, plan.open]
    assert [(r.committed_eur, r.paid_eur) for r in rows] == [
        (Decimal("1000.00"), Decimal("600.00")),
        (Decimal("1000.00"), Decimal("450.00")),
    ]
    chart = chart_data(response)
    assert chart["labels"] == [str(plan.closed), str(plan.open)]
    assert [d["data"] for d in chart["datasets"]][1:] == [[1000.0, 1000.0], [600.0, 450.0]]
    budget = float(fiche.project.budget_eur)
    assert chart["datasets"][0]["data"][1] == budget
    page = response.content.decode()
    assert 'data-chart="moneyHistory"' in page
    assert "450,00" in page


def test_a_reader_sees_the_closed_rounds_money_only(client, reader, domain):
    plan = desk_plan([domain], unchanged=0, changed=1)
    client.force_login(reader)
    response = client.get(reverse("project", args=[plan.changed[0].project.code]))
    assert [r.round for r in response.context["money"]] == [plan.closed]
    assert chart_data(response)["datasets"][2]["data"] == [600.0]


def test_a_project_without_fiches_has_no_chart(client, coordinator, project):
    assert not Fiche.objects.filter(project=project).exists()
    client.force_login(coordinator)
    response = client.get(reverse("project", args=[project.code]))
    assert response.context["charts"] is None
    assert "dashboard-data" not in response.content.decode()
