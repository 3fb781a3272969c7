"""Huishoudboekje data: participation and afspraken, the double-entry ledger, imported
bank statements and their lines, payments and payment batches, and signals.

Money is ``Decimal`` with two decimals. Ledger mutations are signed (positive = debit),
every journaalpost sums to zero, and ``Rekening.saldo`` is kept equal to the sum of its
mutations by the services (checked by ``manage.py huishoudboekje_controle``).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .constants import (
    BETALING_ACTIEF,
    BatchStatus,
    BestandStatus,
    BetalingSoort,
    BetalingStatus,
    Frequentie,
    JournaalSoort,
    LeefgeldFrequentie,
    RekeningSoort,
    Richting,
    Rubriek,
    SignaalSoort,
    SignaalStatus,
    TransactieStatus,
)

BEDRAG = {"max_digits": 14, "decimal_places": 2}


class Tussenrekening(models.Model):
    """The municipality's bank account through which all money of the participants runs
    (also called derdengeldenrekening)."""

    gemeente = models.ForeignKey("huishoudens.Gemeente", on_delete=models.PROTECT, related_name="tussenrekeningen")
    iban = models.CharField(_("IBAN"), max_length=34, unique=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    naam = models.CharField(_("naam rekeninghouder"), max_length=70)

    class Meta:
        verbose_name = _("tussenrekening")
        verbose_name_plural = _("tussenrekeningen")

    def __str__(self) -> str:
        return f"{self.naam} ({self.iban})"


class Deelname(models.Model):
    """A household taking part in the huishoudboekje."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    huishouden = models.OneToOneField(
        "huishoudens.Huishouden", on_delete=models.PROTECT, related_name="huishoudboekje"
    )
    tussenrekening = models.ForeignKey(Tussenrekening, on_delete=models.PROTECT, related_name="deelnames")
    budgetbeheerder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("budgetbeheerder"),
        on_delete=models.PROTECT,
        related_name="deelnames_in_beheer",
    )
    startdatum = models.DateField(_("startdatum"))
    einddatum = models.DateField(_("einddatum"), null=True, blank=True)
    # Leefgeld: paid to the resident's own account from what is left after reservations.
    leefgeld_frequentie = models.CharField(
        _("leefgeld"), max_length=10, choices=LeefgeldFrequentie.choices, default=LeefgeldFrequentie.WEEK
    )
    # For WEEK: 0 = Monday .. 6 = Sunday; for MAAND: day of the month 1..31.
    leefgeld_dag = models.PositiveSmallIntegerField(_("dag van betaling"), default=0)
    leefgeld_iban = models.CharField(_("IBAN voor leefgeld"), max_length=34)
    leefgeld_naam = models.CharField(_("naam rekeninghouder leefgeld"), max_length=70)
    buffer = models.DecimalField(_("buffer"), default=0, **BEDRAG)
    aangemaakt_op = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("deelname huishoudboekje")
        verbose_name_plural = _("deelnames huishoudboekje")
        constraints = [
            models.CheckConstraint(
                condition=Q(einddatum__isnull=True) | Q(einddatum__gte=F("startdatum")),
                name="deelname_einde_na_start",
            ),
            models.CheckConstraint(condition=Q(buffer__gte=0), name="deelname_buffer_niet_negatief"),
        ]

    def __str__(self) -> str:
        return f"Huishoudboekje {self.huishouden_id}"


class Organisatie(models.Model):
    """A counterparty: a creditor (landlord, energy company) or an income source (UWV,
    Belastingdienst/Toeslagen, employer)."""

    gemeente = models.ForeignKey("huishoudens.Gemeente", on_delete=models.PROTECT, related_name="+")
    naam = models.CharField(_("naam"), max_length=120)
    kvk_nummer = models.CharField(_("KvK-nummer"), max_length=8, blank=True)

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["naam"]
        constraints = [models.UniqueConstraint(fields=["gemeente", "naam"], name="organisatie_naam_uniek")]

    def __str__(self) -> str:
        return self.naam


class Afspraak(models.Model):
    """An agreement: an income the household expects, or a fixed cost paid for it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    deelname = models.ForeignKey(Deelname, on_delete=models.PROTECT, related_name="afspraken")
    richting = models.CharField(_("soort"), max_length=10, choices=Richting.choices)
    rubriek = models.CharField(_("rubriek"), max_length=30, choices=Rubriek.choices)
    omschrijving = models.CharField(_("omschrijving"), max_length=140)
    organisatie = models.ForeignKey(Organisatie, on_delete=models.PROTECT, related_name="afspraken")
    tegenrekening_iban = models.CharField(_("IBAN van de organisatie"), max_length=34, db_index=True)
    bedrag = models.DecimalField(_("bedrag"), **BEDRAG)
    # Alarm margins: an amount within bedrag +/- marge_bedrag on a day within the
    # expected date +/- marge_dagen counts as on time and correct.
    marge_bedrag = models.DecimalField(_("marge bedrag"), default=0, **BEDRAG)
    marge_dagen = models.PositiveSmallIntegerField(_("marge dagen"), default=3)
    frequentie = models.CharField(_("hoe vaak"), max_length=10, choices=Frequentie.choices)
    # MAAND/KWARTAAL/JAAR: day of the month 1..31 (31 means the last day in short months);
    # WEEK: 0 = Monday .. 6 = Sunday; EENMALIG: unused (the date is geldig_vanaf).
    dag = models.PositiveSmallIntegerField(_("dag"), default=1)
    # KWARTAAL/JAAR: the month of the first term (1..12).
    maand = models.PositiveSmallIntegerField(_("maand"), default=1)
    uitgesloten_datums = models.JSONField(_("overslaan op"), default=list, blank=True)  # ISO dates
    geldig_vanaf = models.DateField(_("geldig vanaf"))
    geldig_tot = models.DateField(_("geldig tot en met"), null=True, blank=True)
    zoektermen = models.JSONField(_("zoektermen"), default=list, blank=True)
    betalingskenmerk = models.CharField(_("betalingskenmerk"), max_length=35, blank=True)
    # UITGAVE only: the municipality pays this from the tussenrekening.
    betalen = models.BooleanField(_("betalen vanaf de tussenrekening"), default=True)
    alarm = models.BooleanField(_("signaal bij afwijking"), default=True)
    aangemaakt_op = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("afspraak")
        verbose_name_plural = _("afspraken")
        ordering = ["richting", "omschrijving", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(bedrag__gt=0), name="afspraak_bedrag_positief"),
            models.CheckConstraint(condition=Q(marge_bedrag__gte=0), name="afspraak_marge_niet_negatief"),
            models.CheckConstraint(
                condition=Q(geldig_tot__isnull=True) | Q(geldig_tot__gte=F("geldig_vanaf")),
                name="afspraak_einde_na_start",
            ),
        ]

    def __str__(self) -> str:
        return self.omschrijving


class Rekening(models.Model):
    """A ledger account. ``saldo`` is the sum of its mutations (debit positive)."""

    gemeente = models.ForeignKey("huishoudens.Gemeente", on_delete=models.PROTECT, related_name="+")
    soort = models.CharField(max_length=12, choices=RekeningSoort.choices)
    naam = models.CharField(max_length=120)
    tussenrekening = models.ForeignKey(
        Tussenrekening, on_delete=models.PROTECT, null=True, blank=True, related_name="grootboekrekeningen"
    )
    deelname = models.OneToOneField(
        Deelname, on_delete=models.PROTECT, null=True, blank=True, related_name="rekening"
    )
    saldo = models.DecimalField(default=0, **BEDRAG)

    class Meta:
        verbose_name = _("grootboekrekening")
        verbose_name_plural = _("grootboekrekeningen")
        constraints = [
            models.CheckConstraint(
                condition=Q(soort=RekeningSoort.HUISHOUDEN, deelname__isnull=False)
                | (~Q(soort=RekeningSoort.HUISHOUDEN) & Q(deelname__isnull=True)),
                name="rekening_huishouden_heeft_deelname",
            ),
            models.UniqueConstraint(
                fields=["tussenrekening", "soort"],
                condition=Q(soort__in=[RekeningSoort.BANK, RekeningSoort.ONVERDEELD]),
                name="rekening_bank_en_onverdeeld_eenmaal",
            ),
            models.UniqueConstraint(
                fields=["gemeente", "naam"], condition=Q(soort=RekeningSoort.CATEGORIE), name="categorie_naam_uniek"
            ),
        ]

    def __str__(self) -> str:
        return self.naam

    @property
    def tegoed(self):
        """What the owner has: the debit balance for the bank, the credit balance for the
        accounts the money belongs to (a household's money is a debt of the municipality)."""
        return self.saldo if self.soort == RekeningSoort.BANK else -self.saldo


class Bankbestand(models.Model):
    """One uploaded statement file. The same file (by SHA-256) is imported once."""

    tussenrekening = models.ForeignKey(Tussenrekening, on_delete=models.PROTECT, related_name="bestanden")
    sha256 = models.CharField(max_length=64)
    bestandsnaam = models.CharField(max_length=200)
    grootte = models.PositiveBigIntegerField(default=0)
    formaat = models.CharField(max_length=30, blank=True)
    status = models.CharField(max_length=12, choices=BestandStatus.choices, default=BestandStatus.BEZIG)
    weigercode = models.CharField(max_length=40, blank=True)
    melding = models.TextField(blank=True)
    aantal_boekingen = models.PositiveIntegerField(default=0)
    nieuw = models.PositiveIntegerField(default=0)
    al_bekend = models.PositiveIntegerField(default=0)
    automatisch_geboekt = models.PositiveIntegerField(default=0)
    ingelezen_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    aangemaakt_op = models.DateTimeField(auto_now_add=True)
    klaar_op = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bankafschrift")
        verbose_name_plural = _("bankafschriften")
        ordering = ["-aangemaakt_op", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tussenrekening", "sha256"],
                condition=~Q(status=BestandStatus.GEWEIGERD),
                name="bankbestand_eenmaal_ingelezen",
            )
        ]


class Banktransactie(models.Model):
    """One line on a bank statement of the tussenrekening. ``kenmerk`` (the parser's
    fingerprint) is unique per account, so a line is booked once however often it is
    imported."""

    # No index of its own: the unique (tussenrekening, kenmerk) and the (tussenrekening,
    # status, boekdatum) indexes start with it (migration 0004, import performance).
    tussenrekening = models.ForeignKey(
        Tussenrekening, on_delete=models.PROTECT, related_name="transacties", db_index=False
    )
    bankbestand = models.ForeignKey(Bankbestand, on_delete=models.PROTECT, related_name="transacties")
    kenmerk = models.CharField(max_length=64)
    boekdatum = models.DateField()
    valutadatum = models.DateField(null=True, blank=True)
    richting = models.CharField(max_length=10, choices=Richting.choices)  # seen from the account
    bedrag = models.DecimalField(**BEDRAG)  # positive
    tegenrekening_iban = models.CharField(max_length=34, blank=True)  # no query filters on it
    tegenpartij_naam = models.CharField(max_length=140, blank=True)
    omschrijving = models.TextField(blank=True)
    betalingskenmerk = models.CharField(max_length=35, blank=True)
    end_to_end_id = models.CharField(max_length=35, blank=True)  # found via Betaling, not here
    retourcode = models.CharField(max_length=10, blank=True)
    status = models.CharField(max_length=10, choices=TransactieStatus.choices, default=TransactieStatus.OPEN)
    # The booking (null while open): an afspraak of a household, a household without
    # afspraak, or a gemeente category.
    afspraak = models.ForeignKey(Afspraak, on_delete=models.PROTECT, null=True, blank=True, related_name="transacties")
    # Indexed by (deelname, boekdatum) below.
    deelname = models.ForeignKey(
        Deelname, on_delete=models.PROTECT, null=True, blank=True, related_name="transacties", db_index=False
    )
    categorie = models.ForeignKey(Rekening, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    automatisch = models.BooleanField(default=False)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    redenen = models.JSONField(default=list, blank=True)  # [{"code": ..., "punten": n}]

    class Meta:
        verbose_name = _("banktransactie")
        verbose_name_plural = _("banktransacties")
        ordering = ["-boekdatum", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["tussenrekening", "kenmerk"], name="banktransactie_eenmaal"),
            models.CheckConstraint(condition=Q(bedrag__gt=0), name="banktransactie_bedrag_positief"),
        ]
        indexes = [
            models.Index(fields=["tussenrekening", "status", "boekdatum"]),
            models.Index(fields=["deelname", "boekdatum"]),
        ]


class Journaalpost(models.Model):
    """One balanced booking: its mutations sum to zero."""

    gemeente = models.ForeignKey("huishoudens.Gemeente", on_delete=models.PROTECT, related_name="+")
    soort = models.CharField(max_length=12, choices=JournaalSoort.choices)
    datum = models.DateField()
    omschrijving = models.CharField(max_length=200, blank=True)
    bankbestand = models.ForeignKey(Bankbestand, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # For ONGEDAAN: the journaalpost it reverses (which can be reversed only once).
    draait_terug = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="teruggedraaid_door"
    )
    # PROTECT: the ledger is append-only (migration 0002 refuses every UPDATE), so the
    # UPDATE that SET_NULL would run cannot happen. A user who booked anything is
    # deactivated (is_active=False), never deleted.
    geboekt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    aangemaakt_op = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("journaalpost")
        verbose_name_plural = _("journaalposten")


class Mutatie(models.Model):
    """One line of a journaalpost on one ledger account; debit positive, credit negative."""

    journaalpost = models.ForeignKey(Journaalpost, on_delete=models.PROTECT, related_name="mutaties")
    # Indexed by (rekening, datum) below.
    rekening = models.ForeignKey(Rekening, on_delete=models.PROTECT, related_name="mutaties", db_index=False)
    bedrag = models.DecimalField(**BEDRAG)
    datum = models.DateField()  # the bank's booking date: the monthly overview groups on it
    rubriek = models.CharField(max_length=30, choices=Rubriek.choices, blank=True)
    afspraak = models.ForeignKey(Afspraak, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    banktransactie = models.ForeignKey(
        Banktransactie, on_delete=models.PROTECT, null=True, blank=True, related_name="mutaties"
    )

    class Meta:
        verbose_name = _("mutatie")
        verbose_name_plural = _("mutaties")
        indexes = [models.Index(fields=["rekening", "datum"])]


class Betaalbatch(models.Model):
    """A SEPA credit transfer file in the making. Four-eyes: prepared by one budgetbeheerder,
    approved by another (a database constraint refuses the same person)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tussenrekening = models.ForeignKey(Tussenrekening, on_delete=models.PROTECT, related_name="batches")
    uitvoerdatum = models.DateField(_("uitvoerdatum"))
    pain_versie = models.CharField(max_length=20, default="pain.001.001.09")
    status = models.CharField(max_length=12, choices=BatchStatus.choices, default=BatchStatus.VOORBEREID)
    message_id = models.CharField(max_length=35, unique=True)
    aantal = models.PositiveIntegerField(default=0)
    totaal = models.DecimalField(default=0, **BEDRAG)
    voorbereid_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    voorbereid_op = models.DateTimeField(auto_now_add=True)
    goedgekeurd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    goedgekeurd_op = models.DateTimeField(null=True, blank=True)
    bestand = models.BinaryField(null=True, blank=True, editable=False)  # the pain.001, once approved
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("betaalbestand")
        verbose_name_plural = _("betaalbestanden")
        ordering = ["-voorbereid_op", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(goedgekeurd_door__isnull=True) | ~Q(goedgekeurd_door=F("voorbereid_door")),
                name="batch_vier_ogen",
            ),
            models.CheckConstraint(
                condition=~Q(status=BatchStatus.GOEDGEKEURD) | Q(goedgekeurd_door__isnull=False),
                name="batch_goedgekeurd_heeft_goedkeurder",
            ),
        ]


class Betaling(models.Model):
    """One payment from the tussenrekening: a term of a fixed cost, or leefgeld.

    ``termijn`` is the scheduled date; ``uitvoerdatum`` the bank day it goes out. A
    partial unique index allows one active payment per afspraak (or per household's
    leefgeld) and term: a payment can never be made twice. A refused or returned payment
    frees its term so it can be paid again."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    deelname = models.ForeignKey(Deelname, on_delete=models.PROTECT, related_name="betalingen")
    afspraak = models.ForeignKey(Afspraak, on_delete=models.PROTECT, null=True, blank=True, related_name="betalingen")
    soort = models.CharField(max_length=12, choices=BetalingSoort.choices)
    termijn = models.DateField()
    uitvoerdatum = models.DateField()
    bedrag = models.DecimalField(**BEDRAG)
    tegenrekening_iban = models.CharField(max_length=34)
    tegenpartij_naam = models.CharField(max_length=70)
    omschrijving = models.CharField(max_length=140, blank=True)
    betalingskenmerk = models.CharField(max_length=35, blank=True)
    end_to_end_id = models.CharField(max_length=35, unique=True)
    status = models.CharField(max_length=12, choices=BetalingStatus.choices, default=BetalingStatus.GEPLAND)
    statusreden = models.CharField(max_length=140, blank=True)
    batch = models.ForeignKey(Betaalbatch, on_delete=models.PROTECT, null=True, blank=True, related_name="betalingen")
    banktransactie = models.ForeignKey(
        Banktransactie, on_delete=models.PROTECT, null=True, blank=True, related_name="betalingen"
    )
    aangemaakt_op = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("betaling")
        verbose_name_plural = _("betalingen")
        ordering = ["uitvoerdatum", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(bedrag__gt=0), name="betaling_bedrag_positief"),
            models.CheckConstraint(
                condition=Q(soort=BetalingSoort.LEEFGELD, afspraak__isnull=True)
                | Q(soort=BetalingSoort.VASTE_LAST, afspraak__isnull=False),
                name="betaling_soort_past_bij_afspraak",
            ),
            models.UniqueConstraint(
                fields=["afspraak", "termijn"],
                condition=Q(soort=BetalingSoort.VASTE_LAST, status__in=BETALING_ACTIEF),
                name="betaling_eenmaal_per_termijn",
            ),
            models.UniqueConstraint(
                fields=["deelname", "termijn"],
                condition=Q(soort=BetalingSoort.LEEFGELD, status__in=BETALING_ACTIEF),
                name="leefgeld_eenmaal_per_termijn",
            ),
        ]
        indexes = [models.Index(fields=["status", "uitvoerdatum"])]


class Signaal(models.Model):
    """Something the budgetbeheerder should look at, with the afspraak and bank lines
    involved. One per afspraak, kind and period (``periode`` = the expected date)."""

    deelname = models.ForeignKey(Deelname, on_delete=models.PROTECT, related_name="signalen")
    afspraak = models.ForeignKey(Afspraak, on_delete=models.PROTECT, null=True, blank=True, related_name="signalen")
    soort = models.CharField(max_length=20, choices=SignaalSoort.choices)
    periode = models.DateField()
    status = models.CharField(max_length=12, choices=SignaalStatus.choices, default=SignaalStatus.OPEN)
    verschil = models.DecimalField(null=True, blank=True, **BEDRAG)
    transacties = models.ManyToManyField(Banktransactie, blank=True, related_name="signalen")
    aangemaakt_op = models.DateTimeField(auto_now_add=True)
    afgehandeld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    afgehandeld_op = models.DateTimeField(null=True, blank=True)
    toelichting = models.TextField(blank=True)

    class Meta:
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")
        ordering = ["-periode", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["deelname", "afspraak", "soort", "periode"], name="signaal_eenmaal_per_periode"
            ),
            models.UniqueConstraint(
                fields=["deelname", "soort", "periode"],
                condition=Q(afspraak__isnull=True),
                name="signaal_zonder_afspraak_eenmaal",
            ),
        ]
        indexes = [models.Index(fields=["deelname", "status"])]
