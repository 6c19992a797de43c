from django.db import migrations

from projects import closed_rounds

fiche_forward, fiche_backward = closed_rounds.install(
    closed_rounds.Guard(table="projects_fiche", round_id="{row}.round_id")
)


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [
        migrations.RunPython(closed_rounds.install_round_guard, closed_rounds.remove_round_guard),
        migrations.RunPython(fiche_forward, fiche_backward),
    ]
