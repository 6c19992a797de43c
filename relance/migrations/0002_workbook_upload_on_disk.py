# The waiting workbooks move from the database (a BinaryField) to files in MEDIA_ROOT.

from django.core.files.base import ContentFile
from django.db import migrations, models

import relance.models


def to_files(apps, schema_editor):
    WorkbookUpload = apps.get_model("relance", "WorkbookUpload")
    for upload in WorkbookUpload.objects.using(schema_editor.connection.alias).iterator():
        content = bytes(upload.content or b"")
        # The field's upload_to (relance.models.workbook_path) names the file.
        upload.file.save(upload.filename or "workbook.xlsx", ContentFile(content), save=False)
        upload.save(update_fields=["file"])


def to_database(apps, schema_editor):
    WorkbookUpload = apps.get_model("relance", "WorkbookUpload")
    for upload in WorkbookUpload.objects.using(schema_editor.connection.alias).iterator():
        if upload.file:
            with upload.file.open("rb") as source:
                upload.content = source.read()
            upload.save(update_fields=["content"])


class Migration(migrations.Migration):

    dependencies = [
        ("relance", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="workbookupload",
            name="file",
            field=models.FileField(default="", max_length=255, upload_to=relance.models.workbook_path, verbose_name="bestand"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="workbookupload",
            name="content",
            field=models.BinaryField(default=b"", verbose_name="inhoud"),
        ),
        migrations.RunPython(to_files, to_database),
        migrations.RemoveField(
            model_name="workbookupload",
            name="content",
        ),
    ]
