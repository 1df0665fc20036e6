"""Settings for the test suite: the base settings, made fast and hermetic."""

import hashlib
import os

from .base import *  # noqa: F403
from .base import BASE_DIR

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"
ALLOWED_HOSTS = ["*"]
MIDDLEWARE = [m for m in MIDDLEWARE if "whitenoise" not in m]  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / "test-private"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tasks run in-process unless a test asks for the live worker (see tests/conftest.py).
# Each pytest-xdist process gets its own queue and its own worker, since each has its own
# test database. The checkout's path is part of the name, so that two checkouts testing on
# one machine against the same Redis never take each other's tasks.
CELERY_TASK_ALWAYS_EAGER = True
EFORMS_SCHEMATRON_WARM_UP = False  # a live worker in the tests compiles only when it checks
_CHECKOUT = hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:8]
CELERY_TASK_DEFAULT_QUEUE = (
    f"innovatieloket-test-{_CHECKOUT}-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory, so that a live worker process can open the same test database.
    # One file per test process, so that parallel runs never share (and lock) a database.
    # var/ is not in git: a fresh checkout has to make it.
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(BASE_DIR / "var" / f"test-{os.getpid()}.sqlite3")
    }
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "10000/minute", "user": "10000/minute"},
}
AXES_FAILURE_LIMIT = 5
# django-otp slows down guessing after each wrong code; tests that need it switch it back on.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
