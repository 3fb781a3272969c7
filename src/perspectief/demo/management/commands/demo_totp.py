"""manage.py demo_totp <username>: the current 6-digit login code of a demo account."""

from django.core.management.base import BaseCommand, CommandError

from perspectief.demo.selectors import GeenDemoAccount, demo_totp_code


class Command(BaseCommand):
    help = "Toont de inlogcode (TOTP) van nu voor een demo-account van gemeente Voorbeeld."

    def add_arguments(self, parser):
        parser.add_argument("username", help="Gebruikersnaam van het demo-account, zoals demo.klantmanager.")

    def handle(self, *args, username: str, **options):
        try:
            code, seconds_left = demo_totp_code(username=username)
        except GeenDemoAccount as error:
            raise CommandError(str(error)) from error
        self.stdout.write(code)
        if options["verbosity"] >= 1:
            self.stderr.write(f"Nog {seconds_left} seconden geldig.")
