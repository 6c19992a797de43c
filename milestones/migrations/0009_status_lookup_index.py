"""A milestone's status in a round looked up from an index that holds the status: a deep
page of the milestone table reads it for every milestone before the page (models.py)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("milestones", "0008_search_trigram_index"),
        ("projects", "0011_search_trigram_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="milestonestatus",
            index=models.Index(
                fields=["milestone", "round"],
                include=("status",),
                name="milestonestatus_lookup_idx",
            ),
        ),
    ]
