"""The milestone list's ``?q=`` on descriptions through a trigram index on PostgreSQL (the
projects' code and title have theirs: projects 0011)."""

from django.db import migrations

from projects.trigram import trigram_index


class Migration(migrations.Migration):
    dependencies = [
        ("milestones", "0007_list_covering_indexes"),
        ("projects", "0011_search_trigram_indexes"),
    ]

    operations = [
        trigram_index("milestones_milestone", "description"),
    ]
