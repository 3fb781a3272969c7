from django.core.management.base import BaseCommand

from perspectief.audit.anker import audit_anker_vastleggen


class Command(BaseCommand):
    help = (
        "Anchors the audit chain's head outside the database: one JSON log line and one line in "
        "AUDIT_ANKER_BESTAND (for cron where Celery beat does not run audit_anker_task)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--bestand", help="anchor file instead of AUDIT_ANKER_BESTAND ('' = log line only)"
        )

    def handle(self, *args, **options):
        anker = audit_anker_vastleggen(bestand=options["bestand"])
        self.stdout.write(f"Anker vastgelegd: regel {anker.volgnummer}, hash {anker.hash}.")
