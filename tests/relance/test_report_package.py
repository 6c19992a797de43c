"""A round's report package (issue 14): one zip with the cover note, the fiche bundle and the
two indicator notes as tagged PDFs in Dutch and English, and the dashboard's figures; by
the command and the URL, for those who may read the round. Rendering is slow: the package
is rendered once in this module (the URL then serves the closed round's kept PDFs)."""

import io
import json
import re
import zipfile
import zlib

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from relance.reporting.package import report_html
from relance.reporting.report import build_report
from relance.summary import round_summary

from .reporting_plan import DRAFT, build_plan

pytestmark = pytest.mark.django_db

DOCUMENTS = ("nota", "fiches", "indicatoren-impact", "indicatoren-output")


@pytest.fixture(autouse=True)
def _reports_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def unpacked(pdf: bytes) -> bytes:
    """The PDF's streams, inflated: where its structure and metadata are."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"".join(parts)


def test_the_package_by_command_and_by_url(client, reader, tmp_path):
    plan = build_plan()
    code = plan.second.code
    target = tmp_path / "pakket.zip"

    call_command("report_package", code, str(target), stdout=io.StringIO())

    archive = zipfile.ZipFile(target)
    names = sorted(archive.namelist())
    expected = [
        f"relance-{code}/{stem}-{code}-{lang}.pdf" for stem in DOCUMENTS for lang in ["nl", "en"]
    ]
    expected += [
        f"relance-{code}/cijfers-{code}.json",
        f"relance-{code}/cijfers-{code}.csv",
        f"relance-{code}/indicatoren-impact-{code}.json",
        f"relance-{code}/indicatoren-output-{code}.json",
    ]
    assert names == sorted(expected)
    for name in names:
        if name.endswith(".pdf"):
            pdf = archive.read(name)
            assert pdf.startswith(b"%PDF-1.7")
            inside = unpacked(pdf)
            assert b"/StructTreeRoot" in inside  # tagged
            assert b"pdfuaid:part>1<" in inside or b'pdfuaid:part="1"' in inside  # PDF/UA-1
            language = name.removesuffix(".pdf").rsplit("-", 1)[1]
            assert f"/Lang ({language})".encode() in inside
            assert DRAFT.encode() not in inside
    figures = json.loads(archive.read(f"relance-{code}/cijfers-{code}.json"))
    assert figures == json.loads(json.dumps(round_summary(plan.second).as_json()))
    rows = archive.read(f"relance-{code}/cijfers-{code}.csv").decode().splitlines()
    assert rows[0].startswith("speerpunt,naam,projecten,gerealiseerd")
    assert len(rows) == 1 + 2 + 1  # the header, two speerpunten, the plan
    assert rows[-1].split(",")[2] == str(len(plan.projects))
    output = json.loads(archive.read(f"relance-{code}/indicatoren-output-{code}.json"))
    assert output["by_speerpunt"][0]["indicators"][0]["value"] == "42.5"
    # The fiche bundle holds the fiches, the cover note does not.
    assert archive.getinfo(f"relance-{code}/fiches-{code}-nl.pdf").file_size > 0

    # The URL: the same package for a reader of the closed round; nothing of the open one.
    client.force_login(reader)
    response = client.get(reverse("rounds:package", args=[code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f'filename="rapportpakket-{code}.zip"' in response["Content-Disposition"]
    served = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(served.namelist()) == names
    assert served.read(names[0]) == archive.read(names[0])  # the kept PDF
    assert client.get(reverse("rounds:package", args=[plan.opened.code])).status_code == 404
    client.logout()
    assert client.get(reverse("rounds:package", args=[code])).status_code == 302


def test_the_cover_says_its_language_and_leaves_the_fiches_to_the_bundle():
    plan = build_plan(size=2)
    report = build_report(plan.second, language="en")

    cover = report_html(report, pdf=True, language="en", part="cover")
    fiches = report_html(report, pdf=True, language="en", part="fiches")

    assert '<html lang="en">' in cover
    assert "Language of this document: English" in cover
    assert "Note to the Flemish Government" in cover
    assert (
        "That is an increase of 1 realised project compared with the year before "
        "(December 2022)." in cover
    )
    assert 'id="fiche-' not in cover
    assert 'id="fiche-' in fiches
    assert 'id="nota"' not in fiches
    dutch = report_html(build_report(plan.second), pdf=True, language="nl", part="cover")
    assert "Taal van dit document: Nederlands" in dutch
    assert "Nota aan de Vlaamse Regering" in dutch


def test_the_command_refuses_an_unknown_round_and_a_missing_folder(tmp_path):
    plan = build_plan(size=2)

    with pytest.raises(CommandError, match="Onbekend meetmoment: 2099-12"):
        call_command("report_package", "2099-12", str(tmp_path / "p.zip"))
    with pytest.raises(CommandError, match="Geen map"):
        call_command("report_package", plan.second.code, str(tmp_path / "nergens" / "p.zip"))
    assert list(tmp_path.iterdir()) == []
