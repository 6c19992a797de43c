"""The DCAT-AP description of the published datasets (/open-data/catalog.jsonld), as JSON-LD,
so that a data portal harvests the rounds: a dcat:Catalog with one dcat:Dataset per closed
round, each with its distributions (the zip, the API's JSON) under the open-data licence.

The vocabularies are the EU's authority tables (languages, data themes, file types,
frequencies), as DCAT-AP asks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.urls import reverse

from projects.models import ReportingRound

from .archive import archive_filename
from .tables import TABLES

EU = "http://publications.europa.eu/resource/authority"
IANA = "https://www.iana.org/assignments/media-types"
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
LANGUAGES = [{"@id": f"{EU}/language/NLD"}, {"@id": f"{EU}/language/ENG"}]
THEMES = [{"@id": f"{EU}/data-theme/ECON"}, {"@id": f"{EU}/data-theme/GOVE"}]
PUBLISHER_NAME = "Vlaamse overheid, Kanselarij"


def _text(dutch: str, english: str) -> list[dict[str, str]]:
    return [{"@value": dutch, "@language": "nl"}, {"@value": english, "@language": "en"}]


def _date_time(value: Any) -> dict[str, str]:
    return {"@value": value.isoformat(timespec="seconds"), "@type": "xsd:dateTime"}


def _date(value: Any) -> dict[str, str]:
    return {"@value": value.isoformat(), "@type": "xsd:date"}


def catalog(rounds: list[ReportingRound], absolute: Callable[[str], str]) -> dict[str, Any]:
    """The catalogue of ``rounds`` (closed, newest first); ``absolute`` makes a path a URL."""
    licence = {"@id": settings.RELANCE_OPEN_DATA_LICENCE["url"], "@type": "dct:LicenseDocument"}
    home = absolute(reverse("open-data"))
    publisher = {
        "@id": f"{home}#publisher",
        "@type": "foaf:Agent",
        "foaf:name": PUBLISHER_NAME,
        "foaf:homepage": {"@id": home},
    }
    contact = {
        "@type": "vcard:Organization",
        "vcard:fn": PUBLISHER_NAME,
        "vcard:hasURL": {"@id": home},
    }
    catalog_id = absolute(reverse("open-data-catalog"))
    return {
        "@context": CONTEXT,
        "@id": catalog_id,
        "@type": "dcat:Catalog",
        "dct:title": _text(
            "Relance: open data van het relanceplan Vlaamse Veerkracht",
            "Relance: open data of the Flemish recovery plan Vlaamse Veerkracht",
        ),
        "dct:description": _text(
            "De gegevens van elk afgesloten meetmoment van het relanceplan Vlaamse "
            "Veerkracht: projecten, fiches, middelen, mijlpalen en indicatoren.",
            "The data of every closed reporting round of the Flemish recovery plan Vlaamse "
            "Veerkracht: projects, fiches, money, milestones and indicators.",
        ),
        "dct:publisher": publisher,
        "dct:license": licence,
        "dct:language": LANGUAGES,
        "foaf:homepage": {"@id": home},
        "dcat:themeTaxonomy": {"@id": f"{EU}/data-theme"},
        **(
            {
                "dct:issued": _date_time(min(r.closed_at for r in rounds if r.closed_at)),
                "dct:modified": _date_time(max(r.closed_at for r in rounds if r.closed_at)),
            }
            if any(r.closed_at for r in rounds)
            else {}
        ),
        "dcat:dataset": [
            _dataset(r, catalog_id, absolute, licence, publisher, contact) for r in rounds
        ],
    }


def _dataset(
    reporting_round: ReportingRound,
    catalog_id: str,
    absolute: Callable[[str], str],
    licence: dict[str, str],
    publisher: dict[str, Any],
    contact: dict[str, Any],
) -> dict[str, Any]:
    code = reporting_round.code
    dataset_id = f"{catalog_id}#round-{code}"
    stamp = (
        {
            "dct:issued": _date_time(reporting_round.closed_at),
            "dct:modified": _date_time(reporting_round.closed_at),
        }
        if reporting_round.closed_at
        else {}
    )
    zip_url = absolute(reverse("open-data-zip", args=[code]))
    files = ", ".join(table.filename for table in TABLES)

    def api(name: str, dutch: str, english: str) -> dict[str, Any]:
        url = absolute(reverse(f"api:{name}", args=[code]))
        return {
            "@id": f"{dataset_id}-{name}",
            "@type": "dcat:Distribution",
            "dct:title": _text(dutch, english),
            "dcat:accessURL": {"@id": url},
            "dct:format": {"@id": f"{EU}/file-type/JSON"},
            "dcat:mediaType": {"@id": f"{IANA}/application/json"},
            "dct:license": licence,
            **stamp,
        }

    return {
        "@id": dataset_id,
        "@type": "dcat:Dataset",
        "dct:identifier": f"relance-{code}",
        "dct:title": _text(
            f"Vlaamse Veerkracht, meetmoment {reporting_round.name} ({code})",
            f"Vlaamse Veerkracht, reporting round {reporting_round.name} ({code})",
        ),
        "dct:description": _text(
            "De stand van het relanceplan Vlaamse Veerkracht op "
            f"{reporting_round.reference_date.isoformat()}: de fiche van elk project (status, "
            "toelichting, vastgelegde en vereffende middelen), de mijlpalen en hun status, "
            "de indicatoren en hun waarden. Een gesloten meetmoment verandert niet meer.",
            "The state of the Flemish recovery plan Vlaamse Veerkracht on "
            f"{reporting_round.reference_date.isoformat()}: every project's fiche (status, "
            "narrative, committed and paid money), the milestones and their status, the "
            "indicators and their values. A closed round never changes.",
        ),
        "dcat:keyword": [
            *_text("relanceplan", "recovery plan"),
            {"@value": "Vlaamse Veerkracht", "@language": "nl"},
            *_text("herstelplan", "RRF"),
        ],
        "dcat:theme": THEMES,
        "dct:language": LANGUAGES,
        "dct:publisher": publisher,
        "dcat:contactPoint": contact,
        "dct:license": licence,
        "dct:accrualPeriodicity": {"@id": f"{EU}/frequency/NEVER"},
        "dct:temporal": {
            "@type": "dct:PeriodOfTime",
            "dcat:endDate": _date(reporting_round.reference_date),
        },
        "dcat:landingPage": {
            "@id": absolute(f"{reverse('public:dashboard')}?round={code}"),
        },
        **stamp,
        "dcat:distribution": [
            {
                "@id": f"{dataset_id}-zip",
                "@type": "dcat:Distribution",
                "dct:title": _text(
                    f"CSV-bestanden en werkboek ({archive_filename(reporting_round)})",
                    f"CSV files and workbook ({archive_filename(reporting_round)})",
                ),
                "dct:description": _text(
                    f"Een zip met {files}, het werkboek en een woordenboek van de kolommen.",
                    f"A zip with {files}, the workbook and a dictionary of the columns.",
                ),
                "dcat:accessURL": {"@id": zip_url},
                "dcat:downloadURL": {"@id": zip_url},
                "dct:format": {"@id": f"{EU}/file-type/ZIP"},
                "dcat:mediaType": {"@id": f"{IANA}/application/zip"},
                "dcat:packageFormat": {"@id": f"{IANA}/application/zip"},
                "dct:license": licence,
                **stamp,
            },
            api("round-summary", "Kerncijfers (JSON, API)", "Key figures (JSON, API)"),
            api("round-fiches", "Fiches (JSON, API)", "Fiches (JSON, API)"),
            api(
                "round-milestones",
                "Mijlpaalstatussen (JSON, API)",
                "Milestone statuses (JSON, API)",
            ),
        ],
    }
