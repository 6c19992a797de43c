from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelanceConfig(AppConfig):
    name = "relance"
    verbose_name = _("Relance")

    def ready(self) -> None:
        # The quality rules join the fiche's registry (relance.fiches.checks) once, before
        # any form, import or check runs it.
        from relance.quality import rules  # noqa: F401
        from relance.quality.version import install

        # The open round's stored quality findings are fresh while the plan is unchanged.
        install()
