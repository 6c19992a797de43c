"""The load test's users (``make loadtest``, benchmarks/loadtest.py): coordinators who
browse, filter, open and save fiches, and readers who download a closed round's report.

Every user signs in through the login form with the password loadtest.py gave it.
"""

from __future__ import annotations

import os
import random
import re
import time

from locust import HttpUser, between, task

from benchmarks.form_fields import FormFields  # locust runs from the project's root

PASSWORD = os.environ.get("LOADTEST_PASSWORD", "loadtest-wachtwoord-1")
OPEN = os.environ.get("LOADTEST_OPEN_ROUND", "2023-12")
CLOSED = os.environ.get("LOADTEST_CLOSED_ROUND", "2022-12")
PROJECTS = int(os.environ.get("LOADTEST_PROJECTS", "1810"))
COUNTERS = {"coordinator": 0, "reader": 0}


class SignedIn(HttpUser):
    abstract = True
    role = "coordinator"

    def on_start(self) -> None:
        COUNTERS[self.role] += 1
        username = f"loadtest-{self.role}-{COUNTERS[self.role]}"
        page = self.client.get("/accounts/login/", name="login form")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        response = self.client.post(
            "/accounts/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="sign in",
        )
        if "sessionid" not in self.client.cookies:
            response.failure(f"{username} could not sign in")


class Coordinator(SignedIn):
    weight = 10
    fixed_count = 20
    wait_time = between(1, 3)

    def _project(self) -> str:
        return f"VV{random.randint(1, PROJECTS):05d}"

    @task(3)
    def dashboard(self) -> None:
        self.client.get("/", name="dashboard")

    @task(3)
    def project_list(self) -> None:
        self.client.get(f"/projects/?page={random.randint(1, 10)}", name="project list")

    @task(2)
    def filter_projects(self) -> None:
        self.client.get(f"/projects/?q=VV0{random.randint(0, 1)}&rrf=yes", name="project list ?q")

    @task(2)
    def milestones(self) -> None:
        self.client.get("/milestones/?overdue=on", name="milestones ?overdue")

    @task(1)
    def round_page(self) -> None:
        self.client.get(f"/rounds/{OPEN}/", name="round page")

    @task(3)
    def project(self) -> None:
        self.client.get(f"/projects/{self._project()}/", name="project page")

    @task(3)
    def open_and_save_fiche(self) -> None:
        url = f"/projects/{self._project()}/fiche/"
        page = self.client.get(url, name="fiche form")
        if page.status_code != 200:
            return
        parser = FormFields()
        parser.feed(page.text)
        if parser.saving is None:
            return  # not editable (submitted or approved): opened only
        data = [*parser.forms[parser.saving], ("save", "")]
        with self.client.post(
            url, data=data, headers={"Referer": f"{self.host}{url}"}, name="fiche save",
            allow_redirects=False, catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code not in (200, 302, 303):
                response.failure(f"save answered {response.status_code}")


class ReportReader(SignedIn):
    weight = 1
    fixed_count = 2
    role = "reader"
    wait_time = between(5, 10)

    @task
    def download_report(self) -> None:
        """Asks for the closed round's report, follows its progress page until it is
        ready (or a minute has passed), then downloads it."""
        url = f"/rounds/{CLOSED}/report.pdf?speerpunt={random.randint(1, 3)}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            response = self.client.get(url, name="report.pdf (or its progress)")
            if response.headers.get("Content-Type") == "application/pdf":
                return
            time.sleep(2)
