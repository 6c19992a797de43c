"""Django system checks of what Relance needs beyond Python: the Chromium that prints the
report PDFs (relance/reporting/pdf.py). Missing in production it is an error (the reports
would fail in the worker); elsewhere a warning (the pages work, the PDFs do not)."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register


@register(Tags.compatibility, deploy=False)
def chromium_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    executable = settings.RELANCE_CHROMIUM
    if os.path.isfile(executable) and os.access(executable, os.X_OK):
        return []
    level = Error if settings.PRODUCTION else Warning
    return [
        level(
            f"No Chromium at {executable}: the report PDFs cannot be printed.",
            hint="Install Debian's chromium package (apt-get install chromium), or set "
            "RELANCE_CHROMIUM to the path of a Chromium.",
            id="relance.E001" if settings.PRODUCTION else "relance.W001",
        )
    ]
