from django.db import migrations

from projects import closed_rounds

forward, backward = closed_rounds.install(
    closed_rounds.Guard(table="milestones_milestonestatus", round_id="{row}.round_id")
)


class Migration(migrations.Migration):
    dependencies = [
        ("milestones", "0002_initial"),
        ("projects", "0002_closed_round_guard"),
    ]

    operations = [migrations.RunPython(forward, backward)]
