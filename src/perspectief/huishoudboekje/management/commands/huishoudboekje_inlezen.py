"""manage.py huishoudboekje_inlezen <file> --iban <IBAN of the tussenrekening>

Imports one bank statement file (CAMT.053/.052/.054 or MT940) like the upload screen
does. Running it again after an interruption books exactly the lines that are missing.
Prints counts only (no amounts, names or account numbers). Exit code 1 when the file is
refused, 2 when the tussenrekening does not exist."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from perspectief.huishoudboekje.constants import BestandStatus
from perspectief.huishoudboekje.inlezen import bankbestand_inlezen
from perspectief.huishoudboekje.models import Tussenrekening


class Command(BaseCommand):
    help = "Lees een bankafschrift van de tussenrekening in (CAMT.05x of MT940)."

    def add_arguments(self, parser):
        parser.add_argument("bestand", type=Path)
        parser.add_argument("--iban", required=True, help="IBAN van de tussenrekening")

    def handle(self, *args, bestand: Path, iban: str, **options):
        iban = "".join(iban.split()).upper()
        tussenrekening = Tussenrekening.objects.filter(iban=iban).first()
        if tussenrekening is None:
            raise CommandError("Er is geen tussenrekening met dit IBAN.", returncode=2)
        try:
            inhoud = bestand.read_bytes()
        except OSError as error:
            raise CommandError(
                f"Het bestand kan niet worden gelezen: {error.strerror}", returncode=2
            ) from None
        bb = bankbestand_inlezen(
            actor=None, tussenrekening=tussenrekening, bestandsnaam=bestand.name, inhoud=inhoud
        )
        if bb.status == BestandStatus.GEWEIGERD:
            raise CommandError(f"Geweigerd ({bb.weigercode}): {bb.melding}", returncode=1)
        self.stdout.write(
            f"bankbestand {bb.pk}: {bb.aantal_boekingen} regels, {bb.nieuw} nieuw, {bb.al_bekend} al bekend, "
            f"{bb.automatisch_geboekt} automatisch geboekt"
        )
