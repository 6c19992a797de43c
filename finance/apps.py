from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = _("Financiën")

    def ready(self) -> None:
        from projects import closed_rounds

        closed_rounds.guard("finance_financereport", round_id=closed_rounds.FICHE_ROUND)
