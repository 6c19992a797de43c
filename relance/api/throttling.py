"""Rate limits of open data: per client address, in the default cache."""

from __future__ import annotations

from typing import Any

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class OpenDataThrottle(AnonRateThrottle):
    """The API's limit: ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["open_data"]``."""

    scope = "open_data"

    def get_rate(self) -> str | None:
        # DRF binds the rates when the class is defined; reading them per request lets a
        # changed setting (a test's, an operator's) take effect.
        rates: dict[str, Any] = api_settings.DEFAULT_THROTTLE_RATES
        return rates[self.scope]


class DownloadThrottle(OpenDataThrottle):
    """The zip downloads' limit: each one reads the whole round."""

    scope = "open_data_download"


class FicheApiThrottle(UserRateThrottle):
    """The write API's limit, per token's user (per address for an anonymous read):
    ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["fiche_api"]``."""

    scope = "fiche_api"

    def get_rate(self) -> str | None:
        rates: dict[str, Any] = api_settings.DEFAULT_THROTTLE_RATES
        return rates[self.scope]
