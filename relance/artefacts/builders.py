"""What each kind of artefact holds: the bytes, built from its round and parameters."""

from __future__ import annotations

from collections.abc import Callable

from projects.models import Speerpunt
from relance.models import Artefact, ArtefactKind
from relance.reporting.package import build_package, report_html
from relance.reporting.pdf import cached_pdf, render_pdf
from relance.reporting.report import build_report


def report_filename(code: str, *, speerpunt: int | None, rrf: bool) -> str:
    part = f"-speerpunt-{speerpunt}" if speerpunt is not None else ""
    part += "-rrf" if rrf else ""
    return f"voortgangsrapport-{code}{part}.pdf"


def _report_pdf(artefact: Artefact) -> bytes:
    parameters = artefact.parameters
    number = parameters.get("speerpunt")
    speerpunt = Speerpunt.objects.get(number=number) if number is not None else None
    language = parameters.get("language", "nl")
    rrf = bool(parameters.get("rrf"))
    reporting_round = artefact.round
    report = build_report(reporting_round, speerpunt=speerpunt, rrf_only=rrf, language=language)
    html = report_html(report, pdf=True, language=language)
    if not reporting_round.is_closed:
        return render_pdf(html)
    name = report_filename(reporting_round.code, speerpunt=number, rrf=rrf).removesuffix(".pdf")
    return cached_pdf(html, name=name + ("" if language == "nl" else f"-{language}"))


def build(artefact: Artefact, *, progress: Callable[[str], None]) -> bytes:
    """The content of ``artefact``; ``progress`` hears of each part as it is made."""
    if artefact.kind == ArtefactKind.PACKAGE:
        return build_package(artefact.round, progress=progress)
    if artefact.kind == ArtefactKind.REPORT:
        return _report_pdf(artefact)
    raise ValueError(f"Unknown artefact kind {artefact.kind!r}")
