"""Dutch first, English complete: every source string has its English translation."""

from pathlib import Path

import polib
import pytest
from django.utils import translation

from projects.models import ProjectStatus

LOCALE = Path(__file__).resolve().parents[1] / "locale"


def test_the_english_catalogue_is_complete():
    catalogue = polib.pofile(str(LOCALE / "en/LC_MESSAGES/django.po"))
    assert len(catalogue) > 100
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []


def test_the_compiled_catalogue_matches_its_source():
    source = polib.pofile(str(LOCALE / "en/LC_MESSAGES/django.po"))
    compiled = polib.mofile(str(LOCALE / "en/LC_MESSAGES/django.mo"))
    as_dict = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in compiled}
    for entry in source.translated_entries():
        assert as_dict.get((entry.msgctxt, entry.msgid)) == (entry.msgstr, entry.msgstr_plural), (
            f"Run `make messages`: {entry.msgid!r} is not compiled"
        )


@pytest.mark.parametrize(
    ("language", "label"),
    [("nl", "bijzondere aandacht nodig"), ("en", "needs attention")],
)
def test_labels_follow_the_language(language, label):
    with translation.override(language):
        assert str(ProjectStatus.ATTENTION.label) == label


def test_english_calls_a_fiche_a_fiche():
    """domain.md's word: the English pages said "fiche" and "project sheet" for the same
    thing, at times one above the other."""
    catalogue = polib.pofile(str(LOCALE / "en/LC_MESSAGES/django.po"))
    texts = [
        text
        for entry in catalogue.translated_entries()
        for text in [entry.msgstr, *entry.msgstr_plural.values()]
    ]
    assert any("fiche" in text for text in texts)
    assert [text for text in texts if "project sheet" in text.lower()] == []
