"""The vocabulary of the statuses: what each choice is called and how it is shown.

A status is declared once, on its choice, as NetBox's ChoiceSet carries its colours: the
label, the colour of the published reports (word and hex), the words of the plan workbook
(``workbook.md``; the first is written, every one is read) and the phrase of the summary
text. The badges and their CSS classes, the dashboard's charts, the progress report, the
workbook's import and export and the summary text all read it from there. The stored values
and the (value, label) choices stay those of plain ``TextChoices``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

INK = "#1d1d1b"


@dataclass(frozen=True)
class Colour:
    """A colour of the published reports, and the text colour that reads on it (WCAG AA).

    The stylesheets colour a status by ``css_class`` (static/css/relance.css and
    report.css hold one rule per colour, with this hex: tests/projects/test_statuses.py
    holds them to it)."""

    word: str
    hex: str
    ink: str = INK

    @property
    def css_class(self) -> str:
        return f"status-{self.word}"

    @property
    def outlined(self) -> bool:
        """White on white: drawn with an outline in the ink colour."""
        return self.hex == "#ffffff"


GRIJS = Colour("grijs", "#d9dad6")
LICHTGROEN = Colour("lichtgroen", "#b5e3a8", "#173d10")
DONKERGROEN = Colour("donkergroen", "#1e6b34", "#ffffff")
GEEL = Colour("geel", "#ffed00")
ORANJE = Colour("oranje", "#f39200")
ROOD = Colour("rood", "#c4122f", "#ffffff")
# Stopped and struck out: no colour in the reports, white with an outline.
WIT = Colour("wit", "#ffffff")

COLOURS = (GRIJS, LICHTGROEN, DONKERGROEN, GEEL, ORANJE, ROOD, WIT)


@dataclass(frozen=True)
class Wording:
    """What a choice is called besides its label.

    ``words``: the workbook's word first (what the export writes), then the synonyms an
    import also reads; an import reads the stored code and the label too. ``phrase``: how the
    summary text says it of one project and of several."""

    words: tuple[str, ...] = ("",)
    colour: Colour | None = None
    phrase: tuple[str, str] = ("", "")


class VocabularyChoices(models.TextChoices):
    """``TextChoices`` whose members carry their ``Wording``, given between value and label:
    ``STARTED = "started", Wording(("opgestart",), LICHTGROEN), _("opgestart")``."""

    wording: Wording

    def __new__(cls, value: str, wording: Wording | None = None) -> Any:
        member = str.__new__(cls, value)
        member._value_ = value
        member.wording = wording or Wording()
        return member

    @property
    def word(self) -> str:
        """The workbook's word for it, as the export writes it."""
        return self.wording.words[0]

    @property
    def colour(self) -> Colour:
        assert self.wording.colour is not None, f"{self!r} has no colour"
        return self.wording.colour

    @property
    def hex(self) -> str:
        return self.colour.hex

    @property
    def css_class(self) -> str:
        return self.colour.css_class

    def phrase(self, count: int) -> str:
        """The summary text's phrase for ``count`` projects: "is …" for one, "zijn …" else."""
        one, many = self.wording.phrase
        return one if count == 1 else many

    @classmethod
    def reading(cls, members: tuple[Any, ...] | None = None) -> dict[str, str]:
        """Every word an import reads, lower-case, with the value it means: the stored code,
        the Dutch label and the workbook's words (of ``members``; all by default)."""
        table: dict[str, str] = {}
        with translation.override(None):  # the labels' msgids: the Dutch words
            for member in members or tuple(cls):
                for word in (member.value, str(member.label), *member.wording.words):
                    if word:
                        table[" ".join(word.split()).lower()] = member.value
        return table


class ProjectStatus(VocabularyChoices):
    """A project's status at a round, in the order and with the colours of the reports."""

    NOT_STARTED = (
        "not_started",
        Wording(("niet gestart", "grijs"), GRIJS, ("is nog niet gestart", "zijn nog niet gestart")),
        _("nog niet gestart"),
    )
    STARTED = (
        "started",
        Wording(("opgestart", "lichtgroen"), LICHTGROEN, ("is opgestart", "zijn opgestart")),
        _("opgestart"),
    )
    IN_PROGRESS = (
        "in_progress",
        Wording(
            ("in uitvoering", "donkergroen"),
            DONKERGROEN,
            ("is in uitvoering volgens schema", "zijn in uitvoering volgens schema"),
        ),
        _("in uitvoering volgens schema"),
    )
    REALISED = (
        "realised",
        Wording(("gerealiseerd", "geel"), GEEL, ("is gerealiseerd", "zijn gerealiseerd")),
        _("gerealiseerd"),
    )
    ATTENTION = (
        "attention",
        Wording(
            ("aandacht", "oranje"),
            ORANJE,
            ("heeft bijzondere aandacht nodig", "hebben bijzondere aandacht nodig"),
        ),
        _("bijzondere aandacht nodig"),
    )
    ACTION_REQUIRED = (
        "action_required",
        Wording(
            ("actie nodig", "rood"), ROOD, ("vraagt bijkomende actie", "vragen bijkomende actie")
        ),
        _("bijkomende actie noodzakelijk"),
    )
    STOPPED = (
        "stopped",
        Wording(("stopgezet",), WIT, ("is stopgezet", "zijn stopgezet")),
        _("stopgezet"),
    )

    @classmethod
    def flags(cls) -> tuple[ProjectStatus, ...]:
        """Orange and red: set by the coordinators' review, never by an owner."""
        return (cls.ATTENTION, cls.ACTION_REQUIRED)

    @classmethod
    def owner_choices(cls) -> list[tuple[str, Any]]:
        """What an owner may propose; orange and red are the coordinators'."""
        return [(value, label) for value, label in cls.choices if value not in cls.flags()]

    @classmethod
    def of_round(cls, owner_status: str, flag: str | None) -> str:
        """The one rule for a project's status at a round, as every report counts it: the
        coordinators' orange or red flag while one is raised, else what the owner reported."""
        return flag or owner_status

    @classmethod
    def finished(cls) -> tuple[ProjectStatus, ...]:
        """A project with one of these needs no fiche in a later round."""
        return (cls.REALISED, cls.STOPPED)
