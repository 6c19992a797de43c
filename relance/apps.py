from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate
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

        # The data version's triggers, after every migrate (relance/summary/version.py).
        from relance.summary import version

        pre_migrate.connect(version.before_migrate, dispatch_uid="relance.data_version_off")
        post_migrate.connect(version.after_migrate, dispatch_uid="relance.data_version_on")
