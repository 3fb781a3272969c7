import uuid

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .constants import Doel, Gegevensdeel, InkomenSoort, RolInHuishouden
from .validators import validate_postcode


class Gemeente(models.Model):
    """A municipality. One installation can serve several."""

    naam = models.CharField(_("naam"), max_length=120)
    cbs_code = models.CharField(
        _("CBS-code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^GM\d{4}$", "Een CBS-code is GM gevolgd door 4 cijfers, zoals GM0363.")],
    )
    slug = models.SlugField(_("korte naam"), unique=True)
    wijkteam_telefoon = models.CharField(_("telefoon wijkteam"), max_length=30, blank=True)
    wijkteam_email = models.EmailField(_("e-mail wijkteam"), blank=True)

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["naam"]

    def __str__(self) -> str:
        return self.naam


class Wijk(models.Model):
    gemeente = models.ForeignKey(Gemeente, on_delete=models.PROTECT, related_name="wijken")
    naam = models.CharField(_("naam"), max_length=120)
    code = models.CharField(_("CBS-wijkcode"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("wijk")
        verbose_name_plural = _("wijken")
        ordering = ["naam"]
        constraints = [models.UniqueConstraint(fields=["gemeente", "naam"], name="wijk_naam_uniek_per_gemeente")]

    def __str__(self) -> str:
        return self.naam


class Adres(models.Model):
    straat = models.CharField(_("straat"), max_length=120)
    huisnummer = models.PositiveIntegerField(_("huisnummer"), validators=[MinValueValidator(1)])
    toevoeging = models.CharField(_("toevoeging"), max_length=10, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, validators=[validate_postcode])
    woonplaats = models.CharField(_("woonplaats"), max_length=80)
    wijk = models.ForeignKey(Wijk, on_delete=models.PROTECT, null=True, blank=True, related_name="adressen")

    class Meta:
        verbose_name = _("adres")
        verbose_name_plural = _("adressen")
        indexes = [models.Index(fields=["postcode", "huisnummer"])]

    def __str__(self) -> str:
        number = f"{self.huisnummer}{self.toevoeging and ' ' + self.toevoeging}"
        return f"{self.straat} {number}, {self.postcode} {self.woonplaats}"


class Huishouden(models.Model):
    """A household: the people who live together at one address and share costs."""

    # The public reference used in URLs: random, so it reveals nothing (no count, no BSN).
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    gemeente = models.ForeignKey(Gemeente, on_delete=models.PROTECT, related_name="huishoudens")
    adres = models.ForeignKey(Adres, on_delete=models.PROTECT, related_name="huishoudens")
    team = models.ForeignKey(
        "toegang.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="huishoudens"
    )
    contactpersoon = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vaste contactpersoon"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="huishoudens_als_contactpersoon",
    )
    # Denormalised for listing and search without a join per row; kept by the services.
    naam = models.CharField(_("naam"), max_length=200, db_index=True)
    # The address's wijk, copied by the services so the list can filter and sort on this
    # table's own index (joining every address of a caseload was the slowest list query).
    wijk = models.ForeignKey(Wijk, on_delete=models.PROTECT, null=True, blank=True, related_name="huishoudens")
    aantal_personen = models.PositiveSmallIntegerField(_("aantal personen"), default=0)
    aangemaakt_op = models.DateTimeField(auto_now_add=True)
    gewijzigd_op = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("huishouden")
        verbose_name_plural = _("huishoudens")
        indexes = [
            # The household list: the page's ids in name order, filtered by caseload, from the
            # index alone (an index-only scan). Migration 0003 also adds, on PostgreSQL, a
            # trigram index for the name search (benchmarks/README.md).
            models.Index(fields=["gemeente", "naam", "id", "team", "contactpersoon"], name="huishouden_lijst_idx"),
            models.Index(fields=["team", "naam"]),
            models.Index(fields=["gemeente", "wijk", "naam", "id"], name="huishouden_wijk_lijst_idx"),
        ]

    def __str__(self) -> str:
        return f"Huishouden {self.naam}"


class Persoon(models.Model):
    huishouden = models.ForeignKey(Huishouden, on_delete=models.CASCADE, related_name="personen")
    rol = models.CharField(_("rol in het huishouden"), max_length=20, choices=RolInHuishouden.choices)
    voornamen = models.CharField(_("voornamen"), max_length=200)
    tussenvoegsel = models.CharField(_("tussenvoegsel"), max_length=20, blank=True)
    achternaam = models.CharField(_("achternaam"), max_length=200)
    geboortedatum = models.DateField(_("geboortedatum"))
    # Encrypted BSN and its blind index; never the plain number (see bsn.py).
    bsn_versleuteld = models.BinaryField(null=True, blank=True, editable=False)
    bsn_index = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    email = models.EmailField(_("e-mailadres"), blank=True)
    telefoon = models.CharField(_("telefoonnummer"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("persoon")
        verbose_name_plural = _("personen")
        constraints = [
            models.UniqueConstraint(
                fields=["huishouden"], condition=Q(rol=RolInHuishouden.AANVRAGER), name="een_aanvrager_per_huishouden"
            )
        ]

    @property
    def volledige_naam(self) -> str:
        return " ".join(part for part in (self.voornamen, self.tussenvoegsel, self.achternaam) if part)

    def __str__(self) -> str:
        return self.volledige_naam


class Inkomen(models.Model):
    persoon = models.ForeignKey(Persoon, on_delete=models.CASCADE, related_name="inkomsten")
    soort = models.CharField(_("soort"), max_length=20, choices=InkomenSoort.choices)
    omschrijving = models.CharField(_("omschrijving"), max_length=120, blank=True)
    bruto_per_maand = models.DecimalField(
        _("bruto per maand"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("inkomen")
        verbose_name_plural = _("inkomsten")
        constraints = [models.CheckConstraint(condition=Q(bruto_per_maand__gte=0), name="inkomen_niet_negatief")]


class Toestemming(models.Model):
    """Consent: which role (or which person) may see which part of the data, why, until when."""

    huishouden = models.ForeignKey(Huishouden, on_delete=models.CASCADE, related_name="toestemmingen")
    gegevensdeel = models.CharField(_("welke gegevens"), max_length=20, choices=Gegevensdeel.choices)
    ontvanger_rol = models.CharField(_("voor welke rol"), max_length=30, blank=True)
    ontvanger_gebruiker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    ontvanger_organisatie = models.CharField(_("voor welke organisatie"), max_length=120, blank=True)
    doel = models.CharField(_("doel"), max_length=30, choices=Doel.choices)
    geldig_vanaf = models.DateField(_("geldig vanaf"))
    geldig_tot = models.DateField(_("geldig tot"))
    ingetrokken_op = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    vastgelegd_op = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")
        constraints = [
            models.CheckConstraint(condition=Q(geldig_tot__gte=models.F("geldig_vanaf")), name="toestemming_periode_klopt"),
            models.CheckConstraint(
                condition=~Q(ontvanger_rol="") | Q(ontvanger_gebruiker__isnull=False) | ~Q(ontvanger_organisatie=""),
                name="toestemming_heeft_ontvanger",
            ),
        ]


class Buddykoppeling(models.Model):
    """A volunteer buddy supporting a household."""

    huishouden = models.ForeignKey(Huishouden, on_delete=models.CASCADE, related_name="buddykoppelingen")
    buddy = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="buddykoppelingen")
    vanaf = models.DateField(_("vanaf"))
    tot = models.DateField(_("tot"), null=True, blank=True)

    class Meta:
        verbose_name = _("buddykoppeling")
        verbose_name_plural = _("buddykoppelingen")
        constraints = [models.UniqueConstraint(fields=["huishouden", "buddy", "vanaf"], name="buddykoppeling_uniek")]
