from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MilestonesConfig(AppConfig):
    name = "milestones"
    verbose_name = _("Mijlpalen")

    def ready(self) -> None:
        from projects import closed_rounds

        closed_rounds.guard("milestones_milestonestatus")
