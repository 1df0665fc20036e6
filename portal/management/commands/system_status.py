from django.core.management.base import BaseCommand, CommandError

from portal.health import system_status


class Command(BaseCommand):
    help = "Check database, Celery workers and a task round trip; exit 1 if any fails."

    def handle(self, *args, **options):
        checks = system_status()
        for check in checks:
            mark = "ok  " if check.ok else "FAIL"
            self.stdout.write(f"{mark} {check.name}: {check.detail} {' '.join(check.items)}")
        if not all(check.ok for check in checks):
            raise CommandError("The system is not healthy.")
