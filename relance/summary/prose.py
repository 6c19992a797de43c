"""The summary's prose beyond the counts, in the language active at the call: the change
since the previous round and the year before, the transitions, the forecast and the
observations per speerpunt (observations.py states the rules)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .numbers import local_and, local_euro, local_number, local_pct

if TYPE_CHECKING:
    from .extras import Change, Forecast, Observation, Transitions
    from .values import RoundSummary


def _what(key: str, count: int) -> str:
    """The thing counted by headline figure ``key``, for ``count`` of them."""
    if key == "projects_realised":
        return ngettext("gerealiseerd project", "gerealiseerde projecten", count)
    if key == "projects_stopped":
        return ngettext("stopgezet project", "stopgezette projecten", count)
    if key == "projects_flagged":
        return ngettext("project met een vlag", "projecten met een vlag", count)
    return ngettext(
        "mijlpaal gerealiseerd of op schema", "mijlpalen gerealiseerd of op schema", count
    )


TOLD = {
    "projects": ("projects_realised", "projects_stopped", "projects_flagged"),
    "milestones": ("milestones_on_schedule_or_realised",),
}


def _when(change: Change, *, year_before: bool) -> str:
    if year_before:
        return _("het jaar ervoor (%(round)s)") % {"round": change.since.name}
    return _("het vorige meetmoment (%(round)s)") % {"round": change.since.name}


# The figures whose change follows a sentence of their own ("… zijn gerealiseerd. Dat is een
# stijging …"); the others' changes name what changed, which no sentence before them does.
FOLLOWS_ITS_FIGURE = ("projects_realised", "milestones_on_schedule_or_realised")


def _sentence(key: str, delta: Decimal, when: str) -> str:
    count = abs(int(delta))
    values = {"count": count, "what": _what(key, count), "when": when}
    if delta and key not in FOLLOWS_ITS_FIGURE:
        values["what"] = _what(key, 2)
        if delta > 0:
            return _("Het aantal %(what)s steeg met %(count)s in vergelijking met %(when)s.") % (
                values
            )
        return _("Het aantal %(what)s daalde met %(count)s in vergelijking met %(when)s.") % (
            values
        )
    if delta > 0:
        return _("Dat is een stijging met %(count)s %(what)s in vergelijking met %(when)s.") % (
            values
        )
    if delta < 0:
        return _("Dat is een daling met %(count)s %(what)s in vergelijking met %(when)s.") % (
            values
        )
    return _("Het aantal %(what)s is gelijk aan dat van %(when)s.") % {
        "what": _what(key, 2),
        "when": when,
    }


def change_sentences(summary: RoundSummary, part: str) -> list[str]:
    """The change of ``part``'s headline figures (``projects`` or ``milestones``) since the
    year before and, when that is another round, since the previous round."""
    changes = summary.changes
    told: list[tuple[Change, bool]] = []
    if changes.since_year_before is not None:
        told.append((changes.since_year_before, True))
    previous = changes.since_previous_round
    if previous is not None and (
        changes.since_year_before is None
        or previous.since.code != changes.since_year_before.since.code
    ):
        told.append((previous, False))
    sentences = []
    for key in TOLD[part]:
        quiet_when_same = key in ("projects_stopped", "projects_flagged")
        for change, year_before in told:
            delta = change.deltas[key]
            if quiet_when_same and not delta:
                continue  # "as many stopped as before" is no news
            sentences.append(_sentence(key, delta, _when(change, year_before=year_before)))
    return sentences


def transition_sentence(tagged: Transitions) -> str:
    return _(
        "Transities: %(climate)s (%(climate_pct)s van het budget) telt voor de "
        "klimaattransitie, met %(climate_committed)s vastgelegd en %(climate_paid)s "
        "vereffend; %(digital)s (%(digital_pct)s) telt voor de digitale transitie, met "
        "%(digital_committed)s vastgelegd en %(digital_paid)s vereffend (elk bedrag maal de "
        "coëfficiënt van het project: 0, 40 of 100%%)."
    ) % {
        "climate": local_euro(tagged.climate.budget_eur),
        "climate_pct": local_pct(tagged.climate.budget_pct),
        "climate_committed": local_euro(tagged.climate.committed_eur),
        "climate_paid": local_euro(tagged.climate.paid_eur),
        "digital": local_euro(tagged.digital.budget_eur),
        "digital_pct": local_pct(tagged.digital.budget_pct),
        "digital_committed": local_euro(tagged.digital.committed_eur),
        "digital_paid": local_euro(tagged.digital.paid_eur),
    }


def forecast_sentences(forecast: Forecast) -> list[str]:
    sentences = []
    peaks = forecast.peak_years
    if peaks:
        sentences.append(
            _(
                "Vooruitblik: de meeste finale projectmijlpalen liggen in %(years)s "
                "(%(counts)s); in die jaren verwachten we de sterkste stijging van het aantal "
                "gerealiseerde projecten."
            )
            % {
                "years": local_and([str(y.year) for y in peaks]),
                "counts": local_and([str(y.projects) for y in peaks]),
            }
        )
    if forecast.past_due:
        sentences.append(
            ngettext(
                "Van %(count)s lopend project ligt de finale mijlpaal al voorbij.",
                "Van %(count)s lopende projecten ligt de finale mijlpaal al voorbij.",
                forecast.past_due,
            )
            % {"count": forecast.past_due}
        )
    if forecast.paid:
        amounts = "; ".join(f"{y.year}: {local_euro(y.paid_eur)}" for y in forecast.paid)
        sentences.append(
            _(
                "Verwachte VEK per jaar, volgens het uitgaventempo van elk project sinds zijn "
                "start: %(amounts)s; nadien %(later)s."
            )
            % {"amounts": amounts, "later": local_euro(forecast.paid_later_eur)}
        )
    if forecast.not_forecast:
        sentences.append(
            ngettext(
                "%(count)s project zonder voorspelling: te weinig gegevens (geen startdatum, "
                "minder dan een jaar bezig of nog geen VEK).",
                "%(count)s projecten zonder voorspelling: te weinig gegevens (geen startdatum, "
                "minder dan een jaar bezig of nog geen VEK).",
                len(forecast.not_forecast),
            )
            % {"count": len(forecast.not_forecast)}
        )
    return sentences


def _speerpunten(numbers: tuple[int, ...]) -> str:
    return ngettext("Speerpunt %(list)s", "Speerpunten %(list)s", len(numbers)) % {
        "list": local_and([str(n) for n in numbers])
    }


def _numbers(observation: Observation) -> str:
    parts = []
    for number, part, whole, pct in observation.values:
        if observation.unit == "eur":
            of = _("%(part)s van %(whole)s") % {
                "part": local_euro(part),
                "whole": local_euro(whole),
            }
        else:
            of = _("%(part)s van de %(whole)s") % {
                "part": local_number(part),
                "whole": local_number(whole),
            }
        prefix = f"{number}: " if len(observation.values) > 1 else ""
        parts.append(f"{prefix}{of}, {local_pct(pct)}")
    return "; ".join(parts)


def observation_text(observation: Observation) -> str:
    """The observation in a sentence, with its numbers."""
    rule = observation.rule
    if rule == "committed_at_or_above_threshold":
        count = len(observation.speerpunten)
        return ngettext(
            "Voor speerpunt %(list)s is al %(threshold)s of meer van de voorziene middelen "
            "vastgelegd (%(numbers)s).",
            "Voor %(count)s speerpunten (%(list)s) is al %(threshold)s of meer van de "
            "voorziene middelen vastgelegd (%(numbers)s).",
            count,
        ) % {
            "count": count,
            "list": local_and([str(n) for n in observation.speerpunten]),
            "threshold": local_pct(observation.threshold_pct, 0),
            "numbers": _numbers(observation),
        }
    if rule == "committed_below_threshold":
        return ngettext(
            "%(speerpunten)s heeft lagere vastleggingen: minder dan %(threshold)s van de "
            "voorziene middelen (%(numbers)s).",
            "%(speerpunten)s hebben lagere vastleggingen: minder dan %(threshold)s van de "
            "voorziene middelen (%(numbers)s).",
            len(observation.speerpunten),
        ) % {
            "speerpunten": _speerpunten(observation.speerpunten),
            "threshold": local_pct(observation.threshold_pct, 0),
            "numbers": _numbers(observation),
        }
    what = {
        "most_delayed": _("grootste aandeel mijlpalen in vertraging"),
        "least_delayed": _("kleinste aandeel mijlpalen in vertraging"),
        "most_realised": _("grootste aandeel gerealiseerde projecten"),
        "least_realised": _("kleinste aandeel gerealiseerde projecten"),
        "most_committed": _("grootste aandeel van het budget vastgelegd"),
        "least_committed": _("kleinste aandeel van het budget vastgelegd"),
    }[rule]
    return f"{_speerpunten(observation.speerpunten)}: {what} ({_numbers(observation)})."
