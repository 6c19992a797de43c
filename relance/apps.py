from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelanceConfig(AppConfig):
    name = "relance"
    verbose_name = _("Relance")

    def ready(self) -> None:
        # The quality rules join the fiche's registry (relance.fiches.checks) once, before
        # any form, import or check runs it; relance.checks is the system check for the
        # Chromium that prints the PDFs.
        from relance import checks  # noqa: F401
        from relance.quality import rules  # noqa: F401
