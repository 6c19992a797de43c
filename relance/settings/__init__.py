"""Relance settings, driven by the environment: Django's and its libraries' in ``base``,
the plan's own (the workbook's limits, the quality check's and early warnings' thresholds,
the reminders, open data, the public pages) in ``plan``."""

from .base import *  # noqa: F403
from .plan import *  # noqa: F403
