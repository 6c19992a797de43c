"""A round's quality findings: the fiche registry's quality rules on every fiche of the
round, the round's own rule (``missing_fiche``), and the coordinators' explanations that
hold. A constant number of queries, however large the plan."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects.models import Fiche, FindingNote, NoteKind, Project, ReportingRound, User
from relance.fiches.checks import Finding, Level, run_checks
from relance.fiches.notes import note_finding, standing_notes
from relance.fiches.snapshots import FicheView, for_snapshots, loaded_snapshots

# The codes of shared/docs/interfaces.md, "Quality rules", in their order there, the early
# warnings' suggestions last (advice: warnings; a dismissal holds as an explanation).
QUALITY_RULES = (
    "realised_with_open_milestones",
    "paid_exceeds_committed",
    "committed_exceeds_budget",
    "overdue_future_milestone",
    "realised_milestone_after_reference",
    "money_decreased",
    "status_regressed",
    "missing_fiche",
    "missing_milestone_status",
    "delayed_without_forecast",
    "unchanged_fiche",
    "suggest_attention",
    "suggest_action_required",
)
# What the quality check calls an error: data that cannot both be true (or are missing),
# whatever the fiche form let through as a warning. The rest are warnings: likely, not
# certainly, a mistake.
ERRORS = frozenset(
    {
        "realised_with_open_milestones",
        "paid_exceeds_committed",
        "committed_exceeds_budget",
        "realised_milestone_after_reference",
        "missing_fiche",
        "missing_milestone_status",
        "delayed_without_forecast",
    }
)


RULE_SET = frozenset(QUALITY_RULES)

# What each rule looks for, in words, beside its code on the quality page and in its filter.
RULE_LABELS = {
    "realised_with_open_milestones": gettext_lazy("Gerealiseerd project met open mijlpalen"),
    "paid_exceeds_committed": gettext_lazy("VEK boven VAK"),
    "committed_exceeds_budget": gettext_lazy("VAK boven het budget"),
    "overdue_future_milestone": gettext_lazy("Toekomstige mijlpaal met verstreken deadline"),
    "realised_milestone_after_reference": gettext_lazy("Realisatiedatum na de referentiedatum"),
    "money_decreased": gettext_lazy("VAK of VEK lager dan in het vorige meetmoment"),
    "status_regressed": gettext_lazy("Status teruggevallen na realisatie of stopzetting"),
    "missing_fiche": gettext_lazy("Lopend project zonder fiche"),
    "missing_milestone_status": gettext_lazy("Mijlpaal zonder status"),
    "delayed_without_forecast": gettext_lazy("Vertraagde mijlpaal zonder nieuwe datum of reden"),
    "unchanged_fiche": gettext_lazy("Ongewijzigde fiche terwijl mijlpalen vervielen"),
    "suggest_attention": gettext_lazy("Vroege waarschuwing: oranje voorgesteld"),
    "suggest_action_required": gettext_lazy("Vroege waarschuwing: rood voorgesteld"),
}


def severity(finding: Finding) -> Level:
    return "error" if finding.is_error or finding.rule in ERRORS else "warning"


@dataclass(frozen=True)
class QualityFinding:
    """One finding of the round, on a project (and one of its milestones, by number).
    ``note`` is the coordinators' explanation that holds for it, if any: it then stays
    visible but no longer counts."""

    rule: str
    severity: Level
    project: Project
    milestone: int | None
    message: str
    facts: tuple[str, ...]
    note: FindingNote | None = None

    @property
    def explained(self) -> bool:
        return self.note is not None

    @property
    def rule_label(self) -> str:
        return str(RULE_LABELS[self.rule])

    @property
    def key(self) -> tuple[int, str, int | None]:
        return (self.project.pk, self.rule, self.milestone)

    def as_json(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "project": self.project.code,
            "milestone": self.milestone,
            "message": self.message,
            "facts": list(self.facts),
            "explained": self.explained,
            "explanation": self.note.comment if self.note else None,
        }


def round_findings(reporting_round: ReportingRound) -> list[QualityFinding]:
    """Every quality finding of the round, by rule (in the interfaces' order), project and
    milestone, with the explanations that hold. Ten queries, however many fiches."""
    notes = standing_notes(reporting_round)
    return [
        _with_note(finding, notes.get(finding.key)) for finding in raw_findings(reporting_round)
    ]


def raw_findings(
    reporting_round: ReportingRound, *, project_code: str | None = None
) -> list[QualityFinding]:
    """The round's quality findings before any explanation, in ``round_findings``' order;
    only one project's with ``project_code``. Nine queries, however many fiches."""
    fiches_in_round = Fiche.objects.in_round(reporting_round)
    if project_code is not None:
        fiches_in_round = fiches_in_round.filter(project__code=project_code)
    fiches = list(for_snapshots(fiches_in_round).select_related("project__domain").order_by())
    views = loaded_snapshots(fiches)
    templates = _templates()
    found: list[QualityFinding] = []
    for fiche in fiches:
        view = views[fiche.pk]
        found += [
            _quality_finding(finding, fiche.project, view, templates)
            for finding in run_checks(view, only=RULE_SET)
        ]
    found += _missing_fiches(reporting_round, project_code=project_code)
    order = {code: index for index, code in enumerate(QUALITY_RULES)}
    return sorted(found, key=lambda f: (order[f.rule], f.project.code, f.milestone or 0, f.message))


def unexplained_counts(
    reporting_round: ReportingRound, findings: dict[int, list[Finding]], fiches: Iterable[Fiche]
) -> dict[int, int]:
    """Per fiche id, how many of its registry findings (``check_fiches``) no explanation
    covers: every finding counts, except a quality rule's that a coordinator explained."""
    notes = standing_notes(reporting_round)
    counts = {}
    for fiche in fiches:
        counts[fiche.pk] = sum(
            1
            for finding in findings.get(fiche.pk, [])
            if not _holds(notes.get((fiche.project_id, finding.rule, finding.milestone)), finding)
        )
    return counts


class FindingGone(Exception):
    """The finding to explain is not (or no longer) among the round's findings."""


def explain_finding(
    *,
    reporting_round: ReportingRound,
    project_code: str,
    rule: str,
    milestone: int | None,
    comment: str,
    by: User,
) -> FindingNote:
    """A coordinator explains a finding of the round: the note holds, in this round and the
    rounds after, while the finding's facts do (all of the findings under the same rule on
    the same project and milestone, such as VAK and VEK that both fell). The facts are the
    findings' own, as found now, never what a form says they are."""
    findings = [
        f
        for f in raw_findings(reporting_round, project_code=project_code)
        if (f.rule, f.milestone) == (rule, milestone)
    ]
    if not findings:
        raise FindingGone
    return note_finding(
        reporting_round=reporting_round,
        project=findings[0].project,
        rule=rule,
        milestone=milestone,
        kind=NoteKind.EXPLAINED,
        facts=[fact for finding in findings for fact in finding.facts],
        comment=comment,
        by=by,
    )


def _holds(note: FindingNote | None, finding: Finding | QualityFinding) -> bool:
    return (
        note is not None
        and note.kind == NoteKind.EXPLAINED
        and finding.rule in QUALITY_RULES
        and note.covers(finding.facts)
    )


def _with_note(finding: QualityFinding, note: FindingNote | None) -> QualityFinding:
    return replace(finding, note=note) if _holds(note, finding) else finding


def _quality_finding(
    finding: Finding, project: Project, view: FicheView, templates: tuple[str, str]
) -> QualityFinding:
    return QualityFinding(
        rule=finding.rule,
        severity=severity(finding),
        project=project,
        milestone=finding.milestone,
        message=described(finding, project.code, view, templates),
        facts=finding.facts,
    )


def _templates() -> tuple[str, str]:
    """``described``'s messages in the active language: translated once for a round's
    hundred thousand findings, not once for each."""
    return (
        _("Project %(project)s, mijlpaal %(number)s (%(description)s): %(message)s"),
        _("Project %(project)s: %(message)s"),
    )


def described(
    finding: Finding, project: str, view: FicheView, templates: tuple[str, str] | None = None
) -> str:
    """The finding's message as it is read apart from its fiche: with the project, and the
    milestone where a milestone rule found it (``templates``: ``_templates()``, when the
    caller has them)."""
    on_milestone, on_fiche = templates or _templates()
    if finding.subject and finding.milestone is not None:
        description = next(
            (m.description for m in view.milestones if m.number == finding.milestone), ""
        )
        return on_milestone % {
            "project": project,
            "number": finding.milestone,
            "description": description,
            "message": finding.message,
        }
    return on_fiche % {"project": project, "message": finding.message}


def _missing_fiches(
    reporting_round: ReportingRound, *, project_code: str | None = None
) -> list[QualityFinding]:
    """``missing_fiche``: a project with a fiche in the previous round, still in the plan,
    without one in this round (only ``project_code``'s when given)."""
    previous = reporting_round.previous()
    if previous is None:
        return []
    plan = Project.objects.all()
    if project_code is not None:
        plan = plan.filter(code=project_code)
    projects = (
        plan.in_plan_at(reporting_round)
        .filter(fiches__round=previous)
        .exclude(fiches__round=reporting_round)
        .select_related("domain")
        .order_by("code")
    )
    return [
        QualityFinding(
            rule="missing_fiche",
            severity="error",
            project=project,
            milestone=None,
            message=_(
                "Project %(project)s had een fiche in meetmoment %(previous)s, maar heeft er "
                "geen in dit meetmoment."
            )
            % {"project": project.code, "previous": previous.code},
            facts=("fiche=",),
        )
        for project in projects
    ]
