"""manage.py demo_genereren --huishoudens N [--seed S]: (re)writes demo gemeente Voorbeeld.

Running it again removes the earlier households of gemeente Voorbeeld first, so the same
number and seed always give the same data (see perspectief.demo.services).
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from perspectief.demo import constants
from perspectief.demo.huishoudboekje import maken as demo_huishoudboekje_maken
from perspectief.demo.services import DemoFout, demo_gemeente_genereren
from perspectief.proactief.demo import demo_proactief_voorbereiden
from perspectief.regelingen.services import demo_catalogus_publiceren


class Command(BaseCommand):
    help = "Maakt de demogemeente Voorbeeld met huishoudens, wijken, teams en demo-accounts (opnieuw)."

    def add_arguments(self, parser):
        parser.add_argument("--huishoudens", type=int, default=2000, help="Aantal huishoudens (standaard 2000).")
        parser.add_argument(
            "--seed", type=int, default=constants.DEFAULT_SEED,
            help=f"Startgetal voor het toeval; dezelfde seed geeft dezelfde gegevens (standaard {constants.DEFAULT_SEED}).",
        )

    def handle(self, *args, huishoudens: int, seed: int, verbosity: int, **options):
        show_progress = verbosity >= 1 and huishoudens >= 10_000
        step = max(10_000, huishoudens // 10)
        next_report = [step]

        def voortgang(klaar: int, totaal: int) -> None:
            if show_progress and (klaar >= next_report[0] or klaar == totaal):
                self.stdout.write(f"  {klaar:>9,} van {totaal:,} huishoudens".replace(",", "."))
                next_report[0] = (klaar // step + 1) * step
                sys.stdout.flush()

        if verbosity >= 1:
            self.stdout.write(f"Demogemeente {constants.GEMEENTE_NAAM}: {huishoudens} huishoudens maken (seed {seed})...")
        try:
            resultaat = demo_gemeente_genereren(huishoudens=huishoudens, seed=seed, voortgang=voortgang)
        except DemoFout as error:
            raise CommandError(str(error)) from error
        demo_catalogus_publiceren(gemeente_id=resultaat.gemeente_id)  # regelingen: published version 1
        demo_proactief_voorbereiden(gemeente_id=resultaat.gemeente_id, huishoudens=huishoudens, seed=seed)  # proactief: import + one round
        huishoudboekje = demo_huishoudboekje_maken(gemeente_id=resultaat.gemeente_id, seed=seed)
        if verbosity >= 1:
            if resultaat.verwijderd:
                self.stdout.write(f"Eerdere demogegevens verwijderd: {resultaat.verwijderd} huishoudens.")
            self.stdout.write(self.style.SUCCESS(
                f"Klaar in {resultaat.seconden:.1f} s: {resultaat.huishoudens} huishoudens, "
                f"{resultaat.personen} personen, {resultaat.inkomsten} inkomens."
            ))
            self.stdout.write(
                f"Huishoudboekje: {huishoudboekje['deelnames']} deelnames, {huishoudboekje['banktransacties']} bankregels "
                f"in {huishoudboekje['bestanden']} afschriften, {huishoudboekje['signalen']} signalen."
            )
