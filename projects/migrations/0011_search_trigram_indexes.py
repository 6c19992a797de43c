"""The project list's ``?q=`` (code, title, entity) through trigram indexes on PostgreSQL."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from projects.trigram import trigram_index


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0010_list_sort_indexes"),
    ]

    operations = [
        # Only on PostgreSQL (the operation does nothing elsewhere); pg_trgm is a trusted
        # extension: the database's owner may create it.
        TrigramExtension(),
        trigram_index("projects_project", "code"),
        trigram_index("projects_project", "title"),
        trigram_index("projects_project", "entity"),
    ]
