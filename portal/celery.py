"""The Celery application. Settings come from Django's settings, prefixed ``CELERY_``."""

import os

from celery import Celery
from celery.signals import before_task_publish, task_prerun

from .envfile import read_env_file
from .origin import carry_origin, restore_origin

# Before choosing the settings: .env may name them (DJANGO_SETTINGS_MODULE).
read_env_file()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")

app = Celery("innovatieloket")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# A task sent while a request is answered links back to that request's host and port.
before_task_publish.connect(carry_origin)
task_prerun.connect(restore_origin)
