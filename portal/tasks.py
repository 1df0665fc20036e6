import os
import socket

from celery import shared_task
from django.db import connection


@shared_task(name="portal.ping", soft_time_limit=20, time_limit=30, ignore_result=False)
def ping() -> dict:
    """A round trip through broker, worker and database, used by the status page and CI."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"pong": True, "hostname": socket.gethostname(), "pid": os.getpid()}


@shared_task(name="portal.outbox_dispatch", soft_time_limit=50, time_limit=60)
def outbox_dispatch() -> int:
    """Run by Celery beat every minute: send the tasks the broker could not take at commit."""
    from .services.outbox import outbox_dispatch as dispatch

    return dispatch()
