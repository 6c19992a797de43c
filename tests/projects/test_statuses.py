"""One vocabulary per status (projects/models/statuses.py): each choice carries its label,
colour, workbook words and report phrase, and every reader takes them from there."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from milestones.models import MilestoneState
from projects.models import ProjectStatus
from projects.models.rounds import RoundState
from projects.models.statuses import COLOURS, INK
from projects.tables import review_badge
from projects.templatetags.statuses import badge, status_badge, status_class
from relance.templatetags.relance_figures import milestone_badge, milestone_class
from relance.workbook import parsing

ROOT = Path(__file__).resolve().parents[2]
HEX = re.compile(r"^#[0-9a-f]{6}$")
COLOURED = [*ProjectStatus, *MilestoneState]


# ---- The stored values and the choices are those before the vocabulary ----------------


def test_the_stored_values_are_unchanged():
    assert ProjectStatus.values == [
        "not_started", "started", "in_progress", "realised", "attention", "action_required",
        "stopped",
    ]  # fmt: skip
    assert MilestoneState.values == ["realised", "on_schedule", "delayed", "future", "stopped"]
    assert RoundState.values == ["draft", "open", "closed"]


def test_the_choices_are_plain_value_label_pairs():
    assert ProjectStatus.choices[0] == ("not_started", "nog niet gestart")
    assert MilestoneState.choices[2] == ("delayed", "in vertraging")
    assert all(len(choice) == 2 for choice in ProjectStatus.choices + MilestoneState.choices)


# ---- Every status has all of it --------------------------------------------------------


@pytest.mark.parametrize("status", COLOURED, ids=str)
def test_every_status_has_a_workbook_word_and_a_colour_of_the_reports(status):
    assert status.word
    assert status.colour in COLOURS
    assert HEX.match(status.hex)
    assert HEX.match(status.colour.ink)
    assert status.css_class == f"status-{status.colour.word}"


@pytest.mark.parametrize("status", ProjectStatus, ids=str)
def test_every_project_status_has_its_report_phrase_for_one_and_for_several(status):
    one, several = status.phrase(1), status.phrase(2)
    assert one
    assert several
    assert one != several
    assert status.phrase(0) == several


def test_a_round_state_has_its_workbook_word_a_draft_none():
    assert [state.word for state in RoundState] == ["", "open", "gesloten"]


def test_the_colours_are_those_of_the_published_reports():
    assert {colour.word: colour.hex for colour in COLOURS} == {
        "grijs": "#d9dad6",
        "lichtgroen": "#b5e3a8",
        "donkergroen": "#1e6b34",
        "geel": "#ffed00",
        "oranje": "#f39200",
        "rood": "#c4122f",
        "wit": "#ffffff",
    }
    assert [status.colour.word for status in ProjectStatus] == [
        "grijs", "lichtgroen", "donkergroen", "geel", "oranje", "rood", "wit",
    ]  # fmt: skip
    assert [state.colour.word for state in MilestoneState] == [
        "donkergroen", "lichtgroen", "oranje", "grijs", "wit",
    ]  # fmt: skip


# ---- The workbook's words parse back to their status ------------------------------------

# workbook.md: the word in the file, then the colour also accepted.
WORKBOOK_PROJECT_WORDS = [
    ("niet gestart", "grijs", ProjectStatus.NOT_STARTED),
    ("opgestart", "lichtgroen", ProjectStatus.STARTED),
    ("in uitvoering", "donkergroen", ProjectStatus.IN_PROGRESS),
    ("gerealiseerd", "geel", ProjectStatus.REALISED),
    ("aandacht", "oranje", ProjectStatus.ATTENTION),
    ("actie nodig", "rood", ProjectStatus.ACTION_REQUIRED),
    ("stopgezet", None, ProjectStatus.STOPPED),
]
WORKBOOK_MILESTONE_WORDS = [
    ("gerealiseerd", MilestoneState.REALISED),
    ("op schema", MilestoneState.ON_SCHEDULE),
    ("vertraagd", MilestoneState.DELAYED),
    ("toekomstig", MilestoneState.FUTURE),
    ("geschrapt", MilestoneState.STOPPED),
]


@pytest.mark.parametrize(("word", "colour", "status"), WORKBOOK_PROJECT_WORDS)
def test_the_export_writes_the_workbook_word_and_the_import_reads_it_and_the_colour(
    word, colour, status
):
    assert status.word == word
    assert parsing.PROJECT_STATUS_WORDS[status] == word
    assert parsing.project_status(word) == status
    if colour:
        assert parsing.project_status(colour.upper()) == status


def test_white_is_no_project_status_in_the_workbook():
    with pytest.raises(parsing.CellError):
        parsing.project_status("wit")


@pytest.mark.parametrize(("word", "state"), WORKBOOK_MILESTONE_WORDS)
def test_the_export_writes_the_milestone_word_and_the_import_reads_it(word, state):
    assert state.word == word
    assert parsing.MILESTONE_STATUS_WORDS[state] == word
    assert parsing.milestone_status(word) == state


@pytest.mark.parametrize("status", ProjectStatus, ids=str)
def test_every_word_of_a_project_status_parses_back_to_it(status):
    for word in (status.value, str(status.label), *status.wording.words):
        assert parsing.project_status(f"  {word.upper()} ") == status


@pytest.mark.parametrize("state", MilestoneState, ids=str)
def test_every_word_of_a_milestone_status_parses_back_to_it(state):
    for word in (state.value, str(state.label), *state.wording.words):
        assert parsing.milestone_status(word) == state


@pytest.mark.parametrize("state", RoundState, ids=str)
def test_every_word_of_a_round_state_parses_back_to_it(state):
    for word in (state.value, str(state.label), *state.wording.words):
        if word:
            assert parsing.round_state(word) == state
    assert parsing.ROUND_STATE_WORDS[state] == state.word


@pytest.mark.parametrize("status", ProjectStatus.flags(), ids=str)
def test_a_flag_is_written_as_its_colour_and_read_by_every_word_of_its_status(status):
    assert parsing.FLAG_WORDS[status] == status.colour.word
    for word in (status.value, str(status.label), *status.wording.words):
        assert parsing.flag_level(word) == status


def test_no_other_status_is_a_flag():
    with pytest.raises(parsing.CellError):
        parsing.flag_level(ProjectStatus.REALISED.word)


# ---- The CSS has one rule per colour, with the vocabulary's hex -------------------------


def colour_rules(css: str, word: str) -> list[str]:
    return re.findall(rf"^\.status-{word}\s*\{{([^}}]*)\}}", css, flags=re.MULTILINE)


def declared(body: str, *properties: str) -> str:
    for name in properties:
        found = re.search(rf"(?:^|[;\s]){re.escape(name)}\s*:\s*(#[0-9a-fA-F]{{6}})", body)
        if found:
            return found.group(1).lower()
    raise AssertionError(f"none of {properties} in {body!r}")


@pytest.mark.parametrize("sheet", ["relance.css", "report.css"])
@pytest.mark.parametrize("colour", COLOURS, ids=lambda colour: colour.word)
def test_the_css_has_one_rule_per_colour_with_the_vocabularys_hex(sheet, colour):
    css = (ROOT / "static" / "css" / sheet).read_text()
    (body,) = colour_rules(css, colour.word)
    assert declared(body, "--status-colour", "background") == colour.hex
    assert declared(body, "--status-ink", "color") == colour.ink


def test_the_outlined_colour_is_drawn_with_the_ink():
    outlined = [colour for colour in COLOURS if colour.outlined]
    assert [colour.word for colour in outlined] == ["wit"]
    assert outlined[0].ink == INK


# ---- Templates render a status by its vocabulary ----------------------------------------


def test_a_status_badge_has_the_class_of_its_colour_and_its_label():
    assert status_badge("attention") == (
        '<span class="badge status-oranje">Bijzondere aandacht nodig</span>'
    )
    assert status_class("action_required") == "status-rood"
    assert status_badge(None) == status_class("") == ""


def test_a_milestone_badge_has_the_class_of_its_colour():
    assert milestone_badge("delayed") == (
        '<span class="badge badge-milestone status-oranje">In vertraging</span>'
    )
    assert milestone_class("realised") == "status-donkergroen"


def test_a_badge_written_once_speaks_the_language_of_each_request():
    """Badges are kept once per status and language (a list writes the same few in every
    row): each language keeps its own, and a status never borrows another vocabulary's
    badge with the same value."""
    for _ in range(2):
        with translation.override("nl"):
            assert (
                status_badge("started") == '<span class="badge status-lichtgroen">Opgestart</span>'
            )
            assert review_badge("draft") == '<span class="badge review-draft">Concept</span>'
        with translation.override("en"):
            assert status_badge("started") == '<span class="badge status-lichtgroen">Started</span>'
            assert review_badge("draft") == '<span class="badge review-draft">Draft</span>'
    for status in MilestoneState:
        if status.value in ProjectStatus.values:
            assert badge(status) != badge(ProjectStatus(status.value))


# ---- The maps the vocabulary replaces are gone ------------------------------------------


@pytest.mark.parametrize(
    "name", ["STATUS_COLOURS", "MILESTONE_COLOURS", "_PROJECT_PHRASES", "_SHORT"]
)
def test_no_app_code_keeps_its_own_map_of_the_statuses(name):
    offenders = [
        str(path.relative_to(ROOT))
        for package in ("relance", "projects", "milestones", "finance")
        for path in (ROOT / package).rglob("*.py")
        if re.search(rf"\b{name}\b", path.read_text())
    ]
    assert offenders == []
