"""manage.py demo_logins: prints the demo accounts of gemeente Voorbeeld, for `make demo`."""

from django.core.management.base import BaseCommand, CommandError

from perspectief.demo import constants
from perspectief.demo.selectors import demo_accounts


class Command(BaseCommand):
    help = "Toont de demo-accounts met wachtwoord en geheime sleutel voor de inlogcode (TOTP)."

    def handle(self, *args, **options):
        accounts = demo_accounts()
        if not accounts:
            raise CommandError("Er zijn nog geen demo-accounts. Maak ze eerst met: manage.py demo_genereren")
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(f"Demo-accounts van gemeente {constants.GEMEENTE_NAAM}"))
        self.stdout.write(f"Wachtwoord voor alle accounts: {constants.DEMO_PASSWORD}")
        self.stdout.write("Medewerkers loggen in op /toegang/inloggen/ met wachtwoord en een inlogcode van 6 cijfers.")
        self.stdout.write("Zet de geheime sleutel in een authenticator-app, of vraag de code op met:")
        self.stdout.write("    manage.py demo_totp <gebruikersnaam>")
        self.stdout.write("")
        width = max(len(a.rol_label) for a in accounts)
        for account in accounts:
            line = f"  {account.rol_label:<{width}}  {account.username:<26}"
            if account.totp_base32:
                line += f"  sleutel {account.totp_base32}"
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write("Inwoners loggen in op /toegang/inwoner/ (demo-inlog, zonder inlogcode).")
        self.stdout.write(self.style.WARNING("Alleen voor de demo: deze wachtwoorden en sleutels zijn openbaar."))
