#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    from portal.envfile import read_env_file

    # .env may name the settings module; a variable set in the environment still wins.
    read_env_file()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
