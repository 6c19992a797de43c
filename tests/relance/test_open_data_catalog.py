"""Open data as a portal harvests it: the licence on the page, in the zip and in the API
schema; the DCAT-AP catalogue (JSON-LD) with one dataset per closed round, whose every
distribution answers, and nothing of an open or draft round."""

import io
import json
import zipfile
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from tests.conftest import empty_cache

from .open_data_plan import DRAFT, make_plan

pytestmark = pytest.mark.django_db

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    empty_cache()
    yield
    empty_cache()


@pytest.fixture
def plan():
    return make_plan()


@pytest.fixture
def licence(settings):
    return settings.RELANCE_OPEN_DATA_LICENCE


def catalogue(client):
    response = client.get(reverse("open-data-catalog"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    assert DRAFT not in response.content.decode()
    return json.loads(response.content)


def compact_names(node):
    """Every compact IRI used as a key or a @type anywhere in ``node``."""
    if isinstance(node, list):
        for item in node:
            yield from compact_names(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if not key.startswith("@"):
                yield key
            if key == "@type":
                yield value
            if key != "@context":
                yield from compact_names(value)


def ids(node):
    if isinstance(node, list):
        for item in node:
            yield from ids(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "@id":
                yield value
            elif key != "@context":
                yield from ids(value)


def text_in(values, language):
    return next(v["@value"] for v in values if v["@language"] == language)


def test_the_catalogue_is_json_ld_with_dcats_vocabulary(client, plan):
    data = catalogue(client)

    context = data["@context"]
    assert context["dcat"] == DCAT
    assert context["dct"] == DCT
    for name in compact_names(data):  # every prefix is declared: the JSON-LD expands
        prefix, _, local = name.partition(":")
        assert local, name
        assert prefix in context, name
    for iri in ids(data):  # every node and reference is an absolute IRI
        assert urlsplit(iri).scheme in ("http", "https"), iri
        assert urlsplit(iri).netloc, iri
    every_id = [n["@id"] for n in [data, *data["dcat:dataset"]]] + [
        d["@id"] for dataset in data["dcat:dataset"] for d in dataset["dcat:distribution"]
    ]
    assert len(every_id) == len(set(every_id))


def test_the_catalogue_has_dcat_aps_mandatory_and_recommended_properties(client, plan, licence):
    data = catalogue(client)

    assert data["@type"] == "dcat:Catalog"
    assert text_in(data["dct:title"], "nl")
    assert text_in(data["dct:title"], "en")
    assert text_in(data["dct:description"], "nl")
    assert data["dct:publisher"]["foaf:name"]
    assert data["dct:license"]["@id"] == licence["url"]
    assert data["foaf:homepage"]["@id"].endswith(reverse("open-data"))
    # One dataset per closed round, newest first; never the open or the draft round.
    datasets = data["dcat:dataset"]
    assert [d["dct:identifier"] for d in datasets] == [
        f"relance-{plan.closed.code}",
        f"relance-{plan.earlier.code}",
    ]
    for dataset, reporting_round in zip(datasets, (plan.closed, plan.earlier), strict=True):
        assert dataset["@type"] == "dcat:Dataset"
        assert reporting_round.code in text_in(dataset["dct:title"], "nl")
        assert text_in(dataset["dct:description"], "en")
        closed_at = reporting_round.closed_at.isoformat(timespec="seconds")
        assert dataset["dct:issued"] == {"@value": closed_at, "@type": "xsd:dateTime"}
        assert dataset["dct:modified"]["@value"] == closed_at
        assert dataset["dct:license"]["@id"] == licence["url"]
        assert dataset["dct:publisher"]["foaf:name"]
        assert dataset["dcat:contactPoint"]["vcard:fn"]
        assert {t["@id"].rsplit("/", 1)[1] for t in dataset["dcat:theme"]} == {"ECON", "GOVE"}
        assert {t["@id"].rsplit("/", 1)[1] for t in dataset["dct:language"]} == {"NLD", "ENG"}
        assert dataset["dct:temporal"]["dcat:endDate"]["@value"] == (
            reporting_round.reference_date.isoformat()
        )
        assert dataset["dcat:keyword"]
        landing = urlsplit(dataset["dcat:landingPage"]["@id"])
        assert f"{landing.path}?{landing.query}" == (
            f"{reverse('public:dashboard')}?round={reporting_round.code}"
        )
        distributions = dataset["dcat:distribution"]
        assert len(distributions) == 4
        for distribution in distributions:
            assert distribution["@type"] == "dcat:Distribution"
            assert distribution["dcat:accessURL"]["@id"]
            assert distribution["dct:license"]["@id"] == licence["url"]
            assert distribution["dct:format"]["@id"].startswith(
                "http://publications.europa.eu/resource/authority/file-type/"
            )
            assert distribution["dcat:mediaType"]["@id"]


def test_every_distribution_answers_with_its_round(client, plan):
    data = catalogue(client)

    for dataset in data["dcat:dataset"]:
        code = dataset["dct:identifier"].removeprefix("relance-")
        for distribution in dataset["dcat:distribution"]:
            url = urlsplit(
                distribution.get("dcat:downloadURL", distribution["dcat:accessURL"])["@id"]
            )
            assert code in url.path
            response = client.get(url.path)
            assert response.status_code == 200, url.path
            if url.path.endswith(".zip"):
                b"".join(response.streaming_content)
            else:
                assert response["Content-Type"].startswith("application/json")


def test_an_empty_catalogue_still_describes_itself(client):
    data = catalogue(client)
    assert data["dcat:dataset"] == []
    assert data["@type"] == "dcat:Catalog"
    assert "dct:issued" not in data


# ---- The licence ------------------------------------------------------------------------


def test_the_zip_carries_the_licence(client, plan, licence):
    response = client.get(reverse("open-data-zip", args=[plan.closed.code]))
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as zipped:
        text = zipped.read("LICENSE").decode("utf-8")
        readme = zipped.read("LEESMIJ-README.txt").decode("utf-8")
    assert licence["name"] in text
    assert licence["url"] in text
    assert "bron" in text
    assert "source" in text
    assert "LICENSE" in readme
    assert licence["url"] in readme


def test_the_open_data_page_states_the_licence_and_links_the_catalogue(client, plan, licence):
    page = client.get(reverse("open-data")).content.decode()
    assert f'<a href="{licence["url"]}" rel="license">{licence["name"]}</a>' in page
    assert f'href="{reverse("open-data-catalog")}"' in page
    assert f'href="{reverse("public:dashboard")}"' in page


def test_the_api_schema_names_the_licence(client, licence):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    info = json.loads(response.content)["info"]
    assert info["license"] == {"name": licence["name"], "url": licence["url"]}
