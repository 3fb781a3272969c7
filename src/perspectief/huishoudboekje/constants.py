from django.db import models
from django.utils.translation import gettext_lazy as _

DOEL = "budgetbeheer"


class Richting(models.TextChoices):
    """Seen from the household: money coming in, or money going out."""

    INKOMEN = "inkomen", _("Inkomen")
    UITGAVE = "uitgave", _("Uitgave")


class Frequentie(models.TextChoices):
    EENMALIG = "eenmalig", _("Eén keer")
    WEEK = "week", _("Elke week")
    MAAND = "maand", _("Elke maand")
    KWARTAAL = "kwartaal", _("Elk kwartaal")
    JAAR = "jaar", _("Elk jaar")


class LeefgeldFrequentie(models.TextChoices):
    WEEK = "week", _("Elke week")
    MAAND = "maand", _("Elke maand")


class RekeningSoort(models.TextChoices):
    """Ledger account kinds. BANK is an asset (the money on the municipal account); the
    others are where that money belongs. Every journaalpost sums to zero, so the bank
    balance always equals the sum of all other balances with the sign turned."""

    BANK = "bank", _("Bankrekening van de gemeente")
    ONVERDEELD = "onverdeeld", _("Nog niet verdeeld")
    HUISHOUDEN = "huishouden", _("Huishouden")
    CATEGORIE = "categorie", _("Categorie van de gemeente")


class JournaalSoort(models.TextChoices):
    AFSCHRIFT = "afschrift", _("Bankafschrift ingelezen")
    MATCH = "match", _("Geboekt op afspraak")
    HANDMATIG = "handmatig", _("Met de hand geboekt")
    CATEGORIE = "categorie", _("Geboekt op categorie")
    ONGEDAAN = "ongedaan", _("Boeking ongedaan gemaakt")
    RETOUR = "retour", _("Betaling teruggekomen")


class BestandStatus(models.TextChoices):
    BEZIG = "bezig", _("Wordt ingelezen")
    KLAAR = "klaar", _("Ingelezen")
    GEWEIGERD = "geweigerd", _("Niet ingelezen")


class TransactieStatus(models.TextChoices):
    OPEN = "open", _("Nog niet geboekt")
    GEBOEKT = "geboekt", _("Geboekt")


class BetalingSoort(models.TextChoices):
    VASTE_LAST = "vaste_last", _("Vaste last")
    LEEFGELD = "leefgeld", _("Leefgeld")


class BetalingStatus(models.TextChoices):
    GEPLAND = "gepland", _("Gepland")
    IN_BATCH = "in_batch", _("In een betaalbestand")
    VERZONDEN = "verzonden", _("Naar de bank")
    UITGEVOERD = "uitgevoerd", _("Betaald")
    GEWEIGERD = "geweigerd", _("Geweigerd door de bank")
    TERUGGEBOEKT = "teruggeboekt", _("Teruggekomen")
    GEANNULEERD = "geannuleerd", _("Geannuleerd")


# A payment in one of these states holds its term: no second payment for the same term.
BETALING_ACTIEF = (
    BetalingStatus.GEPLAND,
    BetalingStatus.IN_BATCH,
    BetalingStatus.VERZONDEN,
    BetalingStatus.UITGEVOERD,
)


class BatchStatus(models.TextChoices):
    VOORBEREID = "voorbereid", _("Wacht op goedkeuring")
    GOEDGEKEURD = "goedgekeurd", _("Goedgekeurd")
    AFGEKEURD = "afgekeurd", _("Afgekeurd")


class SignaalSoort(models.TextChoices):
    GEEN_INKOMEN = "geen_inkomen", _("Verwacht geld is niet binnengekomen")
    AFWIJKEND_BEDRAG = "afwijkend_bedrag", _("Bedrag wijkt af van de afspraak")
    DUBBELE_BETALING = "dubbele_betaling", _("Twee keer betaald of ontvangen")
    NEGATIEF_SALDO = "negatief_saldo", _("Saldo is negatief")


class SignaalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    AFGEHANDELD = "afgehandeld", _("Afgehandeld")


class Rubriek(models.TextChoices):
    """The category of an afspraak or a booking, for the monthly overview."""

    LOON = "loon", _("Loon")
    UITKERING = "uitkering", _("Uitkering")
    TOESLAGEN = "toeslagen", _("Toeslagen")
    KINDREGELINGEN = "kindregelingen", _("Kinderbijslag en kindgebonden budget")
    OVERIG_INKOMEN = "overig_inkomen", _("Ander inkomen")
    HUUR = "huur", _("Huur")
    ENERGIE = "energie", _("Gas en stroom")
    WATER = "water", _("Water")
    ZORGVERZEKERING = "zorgverzekering", _("Zorgverzekering")
    VERZEKERINGEN = "verzekeringen", _("Andere verzekeringen")
    GEMEENTELIJKE_BELASTINGEN = "gemeentelijke_belastingen", _("Gemeentelijke belastingen")
    TELEFOON_INTERNET = "telefoon_internet", _("Telefoon, internet en tv")
    SCHULDEN = "schulden", _("Aflossing schulden")
    LEEFGELD = "leefgeld", _("Leefgeld")
    OVERIGE_UITGAVEN = "overige_uitgaven", _("Andere uitgaven")


# Every end-to-end id we send starts with this (betalingen.end_to_end_id): the import looks
# up only lines that carry it (others' ids, e.g. an employer's, are never our payments).
EIGEN_END_TO_END_PREFIX = "HHB"
