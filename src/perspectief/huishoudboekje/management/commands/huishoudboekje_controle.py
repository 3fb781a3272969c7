from django.core.management.base import BaseCommand, CommandError

from perspectief.huishoudboekje.grootboek import controleren
from perspectief.huishoudboekje.models import Journaalpost, Mutatie
from perspectief.huishoudens.models import Gemeente


class Command(BaseCommand):
    help = (
        "Checks the huishoudboekje ledger: every journaalpost sums to zero, every saldo equals "
        "its mutations, and the bank and unallocated accounts match the bank lines. Exits 1 on "
        "a problem."
    )

    def add_arguments(self, parser):
        parser.add_argument("--gemeente", help="only this gemeente (slug or CBS-code)")

    def handle(self, *args, gemeente=None, **options):
        gekozen = None
        if gemeente:
            gekozen = Gemeente.objects.filter(slug=gemeente).first() or Gemeente.objects.filter(
                cbs_code=gemeente.upper()
            ).first()
            if gekozen is None:
                raise CommandError(f"Gemeente {gemeente!r} bestaat niet.")
        problemen = controleren(gemeente=gekozen)
        if problemen:
            for probleem in problemen:
                self.stderr.write(probleem)
            raise CommandError(f"Grootboek klopt NIET: {len(problemen)} probleem/problemen gevonden.", returncode=1)
        posten = Journaalpost.objects.all()
        mutaties = Mutatie.objects.all()
        if gekozen is not None:
            posten = posten.filter(gemeente=gekozen)
            mutaties = mutaties.filter(journaalpost__gemeente=gekozen)
        self.stdout.write(f"Grootboek klopt: {posten.count()} journaalposten, {mutaties.count()} mutaties")
