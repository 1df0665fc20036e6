"""Run the same action from several database connections at the same moment."""

import os
import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections


def require_postgresql() -> None:
    if connection.vendor == "postgresql":
        return
    if os.environ.get("CI"):
        pytest.fail("CI must run the concurrency tests on PostgreSQL (set DATABASE_URL)")
    pytest.skip("row locks are only meaningful on PostgreSQL (set DATABASE_URL)")


def run_at_once(action: Callable[[], object], times: int = 2) -> list:
    """Call `action` in `times` threads released together; return results or exceptions."""
    barrier = threading.Barrier(times)
    results: list = [None] * times

    def worker(index: int) -> None:
        try:
            barrier.wait()
            results[index] = action()
        except Exception as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
