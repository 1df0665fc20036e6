"""Helpers for the identity tests: a realistically slow password hasher and mail server."""

import statistics
import time

from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.mail.backends.locmem import EmailBackend


class SlowHasher(PBKDF2PasswordHasher):
    """Costs tens of milliseconds, like production's hasher does hundreds: enough for a
    missing hash to show in the response time."""

    algorithm = "pbkdf2_sha256_tests"
    iterations = 200_000

    def hash_time(self) -> float:
        """The median time of one hash, measured now (the machine may be busy)."""
        samples = []
        for _ in range(5):
            start = time.perf_counter()
            self.encode("Viaduct-van-morgen-42", self.salt())
            samples.append(time.perf_counter() - start)
        return statistics.median(samples)


class SlowMailBackend(EmailBackend):
    """An SMTP server that takes its time: mail sent during a request shows in its timing."""

    DELAY = 0.15

    def send_messages(self, messages):
        time.sleep(self.DELAY)
        return super().send_messages(messages)
