"""Factories for the huishoudboekje. The tussenrekening is the account of the fixture
persona files (research/huishoudboekje.md §4.4: NL36ABNA5632579034)."""

import datetime
from decimal import Decimal

import factory

from perspectief.huishoudboekje.constants import Frequentie, Richting, Rubriek
from perspectief.huishoudboekje.models import Afspraak, Deelname, Organisatie, Tussenrekening
from perspectief.toegang.constants import Rol

from ..factories import GebruikerFactory, GemeenteFactory, HuishoudenFactory

TUSSENREKENING_IBAN = "NL36ABNA5632579034"


class TussenrekeningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tussenrekening
        django_get_or_create = ("iban",)

    gemeente = factory.SubFactory(GemeenteFactory)
    iban = TUSSENREKENING_IBAN
    bic = "ABNANL2A"
    naam = "Gemeente Voorbeeld Huishoudboekje"


class BudgetbeheerderFactory(GebruikerFactory):
    username = factory.Sequence(lambda n: f"budgetbeheerder{n}")
    rol = Rol.BUDGETBEHEERDER


class DeelnameFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deelname

    huishouden = factory.SubFactory(HuishoudenFactory)
    tussenrekening = factory.SubFactory(TussenrekeningFactory)
    budgetbeheerder = factory.SubFactory(BudgetbeheerderFactory)
    startdatum = datetime.date(2026, 1, 1)
    leefgeld_iban = "NL91ABNA0417164300"
    leefgeld_naam = factory.LazyAttribute(lambda o: o.huishouden.naam)


class OrganisatieFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisatie
        django_get_or_create = ("gemeente", "naam")

    gemeente = factory.SubFactory(GemeenteFactory)
    naam = factory.Sequence(lambda n: f"Woningstichting {n}")


class AfspraakFactory(factory.django.DjangoModelFactory):
    """A monthly rent of 650 paid on the 1st."""

    class Meta:
        model = Afspraak

    deelname = factory.SubFactory(DeelnameFactory)
    richting = Richting.UITGAVE
    rubriek = Rubriek.HUUR
    omschrijving = "Huur"
    organisatie = factory.SubFactory(OrganisatieFactory)
    tegenrekening_iban = "NL20INGB0001234567"
    bedrag = Decimal("650.00")
    frequentie = Frequentie.MAAND
    dag = 1
    geldig_vanaf = datetime.date(2026, 1, 1)
