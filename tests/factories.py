"""factory_boy factories for the platform's models. Only fictional people and test BSNs."""

import datetime

import factory
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from perspectief.huishoudens.bsn import bsn_blind_index, bsn_encrypt
from perspectief.huishoudens.constants import RolInHuishouden
from perspectief.huishoudens.models import Adres, Gemeente, Huishouden, Persoon, Wijk
from perspectief.toegang.constants import Rol, Soort
from perspectief.toegang.models import Gebruiker, Team

PASSWORD = "Correct-Paard-Batterij-42"
TOTP_KEY_HEX = "3132333435363738393031323334353637383930"  # RFC 6238 test secret "1234567890..."


def current_totp(key_hex: str = TOTP_KEY_HEX) -> str:
    totp = TOTP(bytes.fromhex(key_hex))
    return f"{totp.token():06d}"


def test_bsn(seed: int) -> str:
    """A valid (11-proef) BSN from the range starting with 9: not issued to real people."""
    base = 900_000_000 + seed * 10
    for candidate in range(base, base + 10_000):
        digits = [int(d) for d in f"{candidate:09d}"]
        total = sum(d * w for d, w in zip(digits[:8], range(9, 1, -1))) - digits[8]
        if total % 11 == 0:
            return f"{candidate:09d}"
    raise ValueError(seed)


class GemeenteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gemeente
        django_get_or_create = ("cbs_code",)

    naam = "Voorbeeld"
    cbs_code = "GM9999"
    slug = "voorbeeld"


class WijkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Wijk

    gemeente = factory.SubFactory(GemeenteFactory)
    naam = factory.Sequence(lambda n: f"Wijk {n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    gemeente = factory.SubFactory(GemeenteFactory)
    naam = factory.Sequence(lambda n: f"Wijkteam {n}")


class GebruikerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gebruiker
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"medewerker{n}")
    first_name = "Sam"
    last_name = factory.Sequence(lambda n: f"Medewerker {n}")
    soort = Soort.MEDEWERKER
    rol = Rol.KLANTMANAGER
    gemeente = factory.SubFactory(GemeenteFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def teams(self, create, extracted, **kwargs):
        if create and extracted:
            self.teams.set(extracted)

    @factory.post_generation
    def totp(self, create, extracted, **kwargs):
        if create and self.soort == Soort.MEDEWERKER and extracted is not False:
            TOTPDevice.objects.create(user=self, name="test", key=TOTP_KEY_HEX, confirmed=True)
        self.save()


class InwonerFactory(GebruikerFactory):
    username = factory.Sequence(lambda n: f"inwoner{n}")
    soort = Soort.INWONER
    rol = ""


class AdresFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Adres

    straat = "Dorpsstraat"
    huisnummer = factory.Sequence(lambda n: n + 1)
    postcode = "9999 AA"
    woonplaats = "Voorbeeld"


class HuishoudenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Huishouden

    gemeente = factory.SubFactory(GemeenteFactory)
    adres = factory.SubFactory(AdresFactory)
    wijk = factory.LazyAttribute(lambda household: household.adres.wijk)  # as the services copy it
    naam = factory.Sequence(lambda n: f"Jansen {n}")
    aantal_personen = 1


class PersoonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Persoon

    huishouden = factory.SubFactory(HuishoudenFactory)
    rol = RolInHuishouden.AANVRAGER
    voornamen = "Alex"
    achternaam = factory.LazyAttribute(lambda o: o.huishouden.naam)
    geboortedatum = datetime.date(1985, 5, 17)

    class Params:
        bsn = None

    @factory.lazy_attribute
    def bsn_versleuteld(self):
        return bsn_encrypt(self.bsn) if self.bsn else None

    @factory.lazy_attribute
    def bsn_index(self):
        return bsn_blind_index(self.bsn) if self.bsn else None
