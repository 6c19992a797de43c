from django.db import migrations

from projects.closed_rounds import LIFTED


class Migration(migrations.Migration):
    """The switch that only ``flush`` uses to empty closed rounds (see closed_rounds.py).

    The closed-round triggers themselves are installed after every migrate.
    """

    dependencies = [("projects", "0001_initial")]

    operations = [
        migrations.RunSQL(
            f"CREATE TABLE {LIFTED} (lifted integer NOT NULL)", f"DROP TABLE {LIFTED}"
        ),
    ]
