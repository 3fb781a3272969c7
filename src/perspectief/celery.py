"""Celery application. Tasks take ids and call a service; see docs/architecture.md."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perspectief.conf.base")

app = Celery("perspectief")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
