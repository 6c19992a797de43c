from django.db import migrations

from projects import closed_rounds

forward, backward = closed_rounds.install(
    closed_rounds.Guard(
        table="finance_financereport",
        round_id="SELECT f.round_id FROM projects_fiche f WHERE f.id = {row}.fiche_id",
    )
)


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0002_initial"),
        ("projects", "0002_closed_round_guard"),
    ]

    operations = [migrations.RunPython(forward, backward)]
