"""What each kind of artefact holds, written from its round and parameters."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO

from django.utils import timezone

from projects.models import Speerpunt
from relance.models import Artefact, ArtefactKind
from relance.opendata.archive import write_archive
from relance.reporting.indicators import indicator_note
from relance.reporting.package import build_package, note_html, report_html
from relance.reporting.pdf import cached_pdf, render_pdf
from relance.reporting.report import build_report
from relance.rrf.files import scoreboard_file
from relance.rrf.scoreboard import scoreboard_rows
from relance.workbook.exporter import export_workbook


def report_filename(code: str, *, speerpunt: int | None, rrf: bool) -> str:
    part = f"-speerpunt-{speerpunt}" if speerpunt is not None else ""
    part += "-rrf" if rrf else ""
    return f"voortgangsrapport-{code}{part}.pdf"


def note_name(code: str, *, note: str, language: str) -> str:
    """The indicator note's file name without its suffix (also its name in the PDF cache)."""
    return f"indicatoren-{note}-{code}-{language}"


def workbook_filename(code: str | None) -> str:
    return f"relance-{code or 'plan'}-{timezone.localdate().isoformat()}.xlsx"


def _pdf(artefact: Artefact, html: str, *, name: str) -> bytes:
    """A closed round's PDF from the renderer's cache (it never changes), else made anew."""
    if artefact.round is not None and artefact.round.is_closed:
        return cached_pdf(html, name=name)
    return render_pdf(html)


def _report_pdf(artefact: Artefact) -> bytes:
    parameters = artefact.parameters
    number = parameters.get("speerpunt")
    speerpunt = Speerpunt.objects.get(number=number) if number is not None else None
    language = parameters.get("language", "nl")
    rrf = bool(parameters.get("rrf"))
    reporting_round = artefact.round
    assert reporting_round is not None
    report = build_report(reporting_round, speerpunt=speerpunt, rrf_only=rrf, language=language)
    html = report_html(report, pdf=True, language=language)
    name = report_filename(reporting_round.code, speerpunt=number, rrf=rrf).removesuffix(".pdf")
    return _pdf(artefact, html, name=name + ("" if language == "nl" else f"-{language}"))


def _note_pdf(artefact: Artefact) -> bytes:
    note, language = artefact.parameters["note"], artefact.parameters.get("language", "nl")
    reporting_round = artefact.round
    assert reporting_round is not None
    html = note_html(indicator_note(reporting_round, note), pdf=True, language=language)
    return _pdf(artefact, html, name=note_name(reporting_round.code, note=note, language=language))


def _scoreboard(artefact: Artefact) -> bytes:
    assert artefact.round is not None
    rows = scoreboard_rows(artefact.round, load_date=timezone.localdate())
    return scoreboard_file(rows, artefact.parameters["format"])


def build(artefact: Artefact, target: IO[bytes], *, progress: Callable[[str], None]) -> None:
    """Write the content of ``artefact`` to ``target``; ``progress`` hears of each part as
    it is made."""
    kind = artefact.kind
    if kind == ArtefactKind.WORKBOOK:
        # Streamed to the file: neither the workbook nor the plan is held in memory.
        export_workbook(target, round_code=artefact.round.code if artefact.round else None)
        return
    if kind == ArtefactKind.OPEN_DATA:
        assert artefact.round is not None
        write_archive(artefact.round, target)  # a zip of a large plan, straight to the file
        return
    if kind == ArtefactKind.PACKAGE:
        assert artefact.round is not None
        data = build_package(artefact.round, progress=progress)
    elif kind == ArtefactKind.REPORT:
        data = _report_pdf(artefact)
    elif kind == ArtefactKind.NOTE:
        data = _note_pdf(artefact)
    elif kind == ArtefactKind.SCOREBOARD:
        data = _scoreboard(artefact)
    else:
        raise ValueError(f"Unknown artefact kind {kind!r}")
    target.write(data)
