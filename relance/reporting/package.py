"""A round's report package: the five documents the Government receives, in one zip.

- the cover note (the progress report without the fiches) and the fiche bundle (every
  project's fiche), as PDFs;
- the impact-indicator note and the output-indicator overview (indicators.py), as PDFs;
- the dashboard's figures: ``round_summary``'s JSON and a CSV of the figures per speerpunt,
  with the indicator notes' JSON.

Every PDF is there in Dutch and, alongside, in English (``-nl.pdf``, ``-en.pdf``), tagged
for accessibility (pdf.py). Rendering the fiche bundle takes a while: the management
command ``report_package`` writes the zip; the URL serves it too, and keeps a closed round's
PDFs (they never change) so that only the first request renders them.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import replace

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from projects.models import ReportingRound
from relance.summary.values import Figures

from .indicators import NOTES, IndicatorNote, indicator_note
from .pdf import cached_pdf, render_pdf
from .report import Report, build_report, report_text, speerpunt_blocks

LANGUAGES = ("nl", "en")
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}


def note_title(note: str) -> str:
    if note == "impact":
        return _("Nota impactindicatoren")
    return _("Overzicht outputindicatoren")


def note_html(note: IndicatorNote, *, pdf: bool, language: str) -> str:
    with translation.override(language):
        other = "output" if note.note == "impact" else "impact"
        return render_to_string(
            "relance/indicator_note.html",
            {
                "note": note,
                "pdf": pdf,
                "title": note_title(note.note),
                "other": other,
                "other_title": note_title(other),
                "language_name": LANGUAGE_NAMES[language],
            },
        )


def report_html(report: Report, *, pdf: bool, language: str, part: str = "") -> str:
    """The progress report's HTML; ``part`` "cover" leaves out the fiches, "fiches" keeps
    only them, "" gives the whole report."""
    with translation.override(language):
        return render_to_string(
            "relance/report.html",
            {
                "report": report,
                "pdf": pdf,
                "part": part,
                "language_name": LANGUAGE_NAMES[language],
            },
        )


def _pdf(reporting_round: ReportingRound, html: str, name: str) -> bytes:
    return cached_pdf(html, name=name) if reporting_round.is_closed else render_pdf(html)


def figures_csv(report: Report) -> str:
    """The dashboard's figures per speerpunt (and the plan) as CSV, one row a scope."""
    out = io.StringIO()
    writer = csv.writer(out)
    summary = report.summary
    transitions = dict(summary.transitions.by_speerpunt) if summary.transitions else {}
    writer.writerow(
        [
            "speerpunt", "naam", "projecten", "gerealiseerd", "mijlpalen",
            "mijlpalen_op_schema_of_gerealiseerd", "budget_eur", "vak_eur", "vek_eur",
            "vak_pct", "vek_pct", "klimaat_budget_eur", "digitaal_budget_eur",
        ]
    )  # fmt: skip
    rows: list[tuple[int | None, str, Figures]] = [
        (part.number, part.name, part.figures) for part in summary.by_speerpunt
    ]
    rows.append((None, "Vlaamse Veerkracht", summary.totals))
    for number, name, figures in rows:
        tagged = (
            transitions.get(number)
            if number is not None
            else (summary.transitions.plan if summary.transitions else None)
        )
        finance = figures.finance
        writer.writerow(
            [
                "" if number is None else number,
                name,
                figures.projects.total,
                figures.projects.counts["realised"],
                figures.milestones.total,
                figures.milestones.on_schedule_or_realised,
                f"{finance.budget_eur:.2f}",
                f"{finance.committed_eur:.2f}",
                f"{finance.paid_eur:.2f}",
                finance.committed_pct if finance.committed_pct is not None else "",
                finance.paid_pct if finance.paid_pct is not None else "",
                f"{tagged.climate.budget_eur:.2f}" if tagged else "",
                f"{tagged.digital.budget_eur:.2f}" if tagged else "",
            ]
        )
    return out.getvalue()


def build_package(
    reporting_round: ReportingRound, *, progress: Callable[[str], None] | None = None
) -> bytes:
    """The zip of ``reporting_round``'s package. The caller decides who may read it."""
    code = reporting_round.code
    report = build_report(reporting_round)
    notes = {name: indicator_note(reporting_round, name) for name in NOTES}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def add(name: str, data: bytes | str) -> None:
            if progress is not None:
                progress(name)
            archive.writestr(f"relance-{code}/{name}", data)

        for language in LANGUAGES:
            localised = replace(
                report,
                text=report_text(report.summary, language),
                speerpunten=speerpunt_blocks(report.summary, language),
            )
            for part, stem in (("cover", "nota"), ("fiches", "fiches")):
                html = report_html(localised, pdf=True, language=language, part=part)
                add(
                    f"{stem}-{code}-{language}.pdf",
                    _pdf(reporting_round, html, f"{stem}-{code}-{language}"),
                )
            for name, note in notes.items():
                html = note_html(note, pdf=True, language=language)
                stem = f"indicatoren-{name}-{code}-{language}"
                add(f"{stem}.pdf", _pdf(reporting_round, html, stem))
        add(f"cijfers-{code}.json", _json(report.summary.as_json()))
        add(f"cijfers-{code}.csv", figures_csv(report))
        for name, note in notes.items():
            add(f"indicatoren-{name}-{code}.json", _json(note.as_json()))
    return buffer.getvalue()


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
