from django.core.management.base import BaseCommand

from perspectief.regelingencheck.services import checks_opruimen


class Command(BaseCommand):
    help = "Wist antwoorden van de regelingencheck die langer dan 30 dagen bewaard zijn (voor cron)."

    def handle(self, *args, **options):
        verwijderd = checks_opruimen()
        self.stdout.write(f"Verwijderd: {verwijderd['checks']} checks, {verwijderd['codepogingen']} codepogingen.")
