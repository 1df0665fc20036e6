import os
import socket

from celery import shared_task
from django.db import connection


@shared_task(name="portal.ping", soft_time_limit=20, time_limit=30)
def ping() -> dict:
    """A round trip through broker, worker and database, used by the status page and CI."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"pong": True, "hostname": socket.gethostname(), "pid": os.getpid()}
