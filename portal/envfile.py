"""The optional ``.env`` file, read by every entry point (manage.py, WSGI/ASGI, Celery).

It only fills in what the process environment leaves unset, so ``SITE_URL=… make run`` or a
variable set by docker compose always wins over the file.
"""

import os
from pathlib import Path

from dotenv import load_dotenv

CHECKOUT = Path(__file__).resolve().parent.parent


def env_file_path() -> Path:
    """``ENV_FILE`` if set (tests, or several configurations side by side), else ``.env``."""
    return Path(os.environ.get("ENV_FILE") or CHECKOUT / ".env")


def read_env_file() -> None:
    load_dotenv(env_file_path(), override=False)
