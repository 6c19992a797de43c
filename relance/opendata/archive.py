"""The zip of one closed round: a CSV file per table, the plan workbook of that round, the
data dictionary, a README and the licence, in Dutch and English.

It is written to a file object as it goes (the download spools it to a temporary file):
each table is read in chunks and each row written straight into the zip, so memory stays
flat whatever the plan's size, and the number of queries is the same for any plan.
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from django.conf import settings
from django.utils import timezone

from projects.models import ReportingRound
from relance.workbook import export_workbook

from .tables import DICTIONARY_FILENAME, DICTIONARY_HEADERS, TABLES, dictionary_rows

README_FILENAME = "LEESMIJ-README.txt"
LICENCE_FILENAME = "LICENSE"
SPOOL_BYTES = 16 * 1024 * 1024


def archive_filename(reporting_round: ReportingRound) -> str:
    return f"relance-open-data-{reporting_round.code}.zip"


def workbook_filename(reporting_round: ReportingRound) -> str:
    return f"werkboek-{reporting_round.code}.xlsx"


def archive_names(reporting_round: ReportingRound) -> list[str]:
    """The files of the zip, in order."""
    return [
        README_FILENAME,
        LICENCE_FILENAME,
        DICTIONARY_FILENAME,
        *(table.filename for table in TABLES),
        workbook_filename(reporting_round),
    ]


def write_archive(reporting_round: ReportingRound, target: IO[bytes]) -> None:
    """Write the open data zip of ``reporting_round`` (a closed round) to ``target``."""
    if not reporting_round.is_closed:
        raise ValueError(f"Round {reporting_round.code} is not closed: it is not published.")
    stamp = timezone.localtime().timetuple()[:6]
    with zipfile.ZipFile(target, "w") as archive:

        def entry(name: str, compress_type: int = zipfile.ZIP_DEFLATED) -> IO[bytes]:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = compress_type
            info.external_attr = 0o644 << 16
            return archive.open(info, "w")

        with _text(entry(README_FILENAME)) as text:
            text.write(readme(reporting_round))
        with _text(entry(LICENCE_FILENAME)) as text:
            text.write(licence_text())
        with _text(entry(DICTIONARY_FILENAME)) as text:
            writer = csv.writer(text)
            writer.writerow(DICTIONARY_HEADERS)
            writer.writerows(dictionary_rows())
        for table in TABLES:
            with _text(entry(table.filename)) as text:
                writer = csv.writer(text)
                writer.writerow(table.headers)
                writer.writerows(table.rows(reporting_round))
        # The workbook is a zip already: stored as it is.
        with (
            tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as workbook,
            entry(workbook_filename(reporting_round), zipfile.ZIP_STORED) as stored,
        ):
            export_workbook(workbook, round_code=reporting_round.code)
            workbook.seek(0)
            shutil.copyfileobj(workbook, stored)


@contextmanager
def _text(raw: IO[bytes]) -> Iterator[io.TextIOWrapper]:
    """UTF-8 text into a zip entry; the csv module writes its own line ends."""
    with io.TextIOWrapper(raw, encoding="utf-8", newline="") as text:
        yield text


def licence_text() -> str:
    """The LICENSE file: the Flemish government's free re-use licence, named and linked."""
    name, url = (
        settings.RELANCE_OPEN_DATA_LICENCE["name"],
        settings.RELANCE_OPEN_DATA_LICENCE["url"],
    )
    return f"""{name}
{url}

NEDERLANDS

Deze gegevens van het relanceplan Vlaamse Veerkracht zijn gepubliceerd door de Vlaamse
overheid (Kanselarij) onder de {name} van de Vlaamse overheid. Iedereen mag ze gratis
hergebruiken, voor elk doel, ook commercieel, zonder beperking in de tijd, op voorwaarde
dat de bron vermeld wordt: "Vlaamse overheid, Kanselarij: Relance, Vlaamse Veerkracht".
De volledige tekst van de licentie: {url}

ENGLISH

This data of the Flemish recovery plan Vlaamse Veerkracht is published by the Flemish
government (Chancellery) under the Flemish government's free re-use licence ({name}).
Anyone may re-use it free of charge, for any purpose, commercial ones included, without
a time limit, on condition that the source is acknowledged: "Vlaamse overheid,
Kanselarij: Relance, Vlaamse Veerkracht". The full text of the licence: {url}
"""


def readme(reporting_round: ReportingRound) -> str:
    files = "\n".join(f"- {table.filename}\n    {table.nl}\n    {table.en}" for table in TABLES)
    workbook = workbook_filename(reporting_round)
    generated = timezone.localtime().isoformat(timespec="seconds")
    return f"""Relance · Vlaamse Veerkracht · open data
Meetmoment / reporting round: {reporting_round.code} ({reporting_round.name}), \
referentiedatum / reference date {reporting_round.reference_date.isoformat()}
Aangemaakt / generated: {generated}

NEDERLANDS

De gegevens van het relanceplan Vlaamse Veerkracht op dit afgesloten meetmoment. De cijfers
van een gesloten meetmoment veranderen niet meer, ook de indicatoren niet (zoals dit
meetmoment ze definieerde); de gegevens van het plan zelf (projecten, mijlpalen) zijn zoals
ze nu zijn.

- De CSV-bestanden zijn UTF-8, met komma's gescheiden (RFC 4180), met de kolomnamen op de
  eerste rij. {DICTIONARY_FILENAME} beschrijft elke kolom van elk bestand.
- Bedragen zijn in euro, met een punt en twee decimalen (1234567.89); datums JJJJ-MM-DD.
- Een tekst die met =, +, -, @, een tab of een regeleinde begint, krijgt een ' vooraan,
  zodat geen rekenblad hem als formule uitvoert.
- {workbook} is het werkboek van het plan met de rapportering van dit meetmoment, in het
  formaat dat Relance importeert en exporteert.

ENGLISH

The data of the Flemish recovery plan Vlaamse Veerkracht at this closed reporting round.
A closed round's figures never change, nor do its indicators (as this round defined
them); the plan's own data (projects, milestones) is as it is now.

- The CSV files are UTF-8, comma-separated (RFC 4180), with the column names on the first
  row. {DICTIONARY_FILENAME} describes every column of every file (Dutch and English).
- Amounts are in euro, with a point and two decimals (1234567.89); dates YYYY-MM-DD.
- A text that starts with =, +, -, @, a tab or a line break has a ' in front, so that no
  spreadsheet runs it as a formula.
- {workbook} is the plan workbook with this round's reporting, in the format Relance
  imports and exports.

LICENTIE / LICENCE

{settings.RELANCE_OPEN_DATA_LICENCE["name"]}: {settings.RELANCE_OPEN_DATA_LICENCE["url"]}
Zie / see {LICENCE_FILENAME}.

BESTANDEN / FILES

- {LICENCE_FILENAME}
    De licentie: vrij hergebruik met bronvermelding.
    The licence: free re-use with attribution.
{files}
- {DICTIONARY_FILENAME}
    Woordenboek: elke kolom van elk CSV-bestand.
    Data dictionary: every column of every CSV file.
- {workbook}
    Het werkboek van het plan voor dit meetmoment.
    The plan workbook for this round.
"""
