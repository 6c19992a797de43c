"""Celery application, wired the standard way (settings under the CELERY_ namespace)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relance.settings")

app = Celery("relance")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
