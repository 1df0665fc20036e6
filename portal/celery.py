"""The Celery application. Settings come from Django's settings, prefixed ``CELERY_``."""

import os

from celery import Celery

from .envfile import read_env_file

# Before choosing the settings: .env may name them (DJANGO_SETTINGS_MODULE).
read_env_file()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")

app = Celery("innovatieloket")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
