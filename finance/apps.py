from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = _("Financiën")

    def ready(self) -> None:
        from projects import closed_rounds

        closed_rounds.register(
            closed_rounds.Guard(
                table="finance_financereport",
                round_id="SELECT f.round_id FROM projects_fiche f WHERE f.id = {row}.fiche_id",
            )
        )
