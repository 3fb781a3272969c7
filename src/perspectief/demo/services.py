"""Writing the demo municipality "Voorbeeld".

`demo_gemeente_genereren` is idempotent by resetting: it first removes every household of
gemeente GM9999 (with its people, incomes, addresses, consents and buddy links; rows of
other modules pointing at them follow their on_delete rule), then
writes the households of `generator.huishoudens_genereren` again. Running it twice with the
same seed and number gives the same data (the same people, BSNs, addresses, public uuids;
the database ids and the encrypted BSN bytes differ, the decrypted BSNs do not). The
gemeente, wijken and teams are kept (updated in place); the demo accounts are updated in
place (same id), their password and TOTP device reset. Other accounts are left alone.

It writes with bulk inserts in batches, all in one transaction (nothing is half-written),
and writes one audit entry for the whole run with a system actor, not one per row.

The households are written straight into the huishoudens tables, past
`huishoudens.services`: those services write one audit entry per row and validate one
person at a time, which does not scale to 100,000 households. The generator keeps the
same invariants (one aanvrager, at most one partner, valid BSN and postcode, the
denormalised naam and aantal_personen), and tests/demo checks them.
"""

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from perspectief.audit.constants import Actie
from perspectief.audit.services import audit_record
from perspectief.huishoudens.bsn import bsn_blind_index, bsn_encrypt
from perspectief.huishoudens.constants import Doel, Gegevensdeel
from perspectief.huishoudens.models import (
    Adres,
    Buddykoppeling,
    Gemeente,
    Huishouden,
    Inkomen,
    Persoon,
    Toestemming,
    Wijk,
)
from perspectief.toegang.constants import Rol, Soort
from perspectief.toegang.models import Gebruiker, Team

from . import constants as c
from .generator import DemoHuishouden, huishoudens_genereren

BATCH = 2000
SQLITE_IN_CHUNK = 900


class DemoFout(Exception):
    """The demo cannot be written here; the message says why, in Dutch."""


@dataclass(frozen=True, slots=True)
class DemoResultaat:
    gemeente_id: int
    huishoudens: int
    personen: int
    inkomsten: int
    verwijderd: int
    seconden: float


@dataclass(frozen=True, slots=True)
class _Systeem:
    """The actor of the generation run in the audit log (no account, so no id)."""

    pk: None = None
    is_authenticated: bool = True
    rol: str = "systeem"
    soort: str = "systeem"

    def get_username(self) -> str:
        return "systeem (demo_genereren)"


def totp_key_hex(username: str) -> str:
    """The known TOTP secret of a demo account (20 bytes as hex), derived from its name."""
    return hashlib.sha1(f"{c.TOTP_SECRET_SALT}:{username}".encode()).hexdigest()


def _gemeente() -> Gemeente:
    gemeente = Gemeente.objects.filter(cbs_code=c.GEMEENTE_CBS_CODE).first()
    if gemeente is not None and (gemeente.naam != c.GEMEENTE_NAAM or gemeente.slug != c.GEMEENTE_SLUG):
        raise DemoFout(
            f"CBS-code {c.GEMEENTE_CBS_CODE} is hier al in gebruik voor gemeente '{gemeente.naam}'. "
            "De demo overschrijft die niet."
        )
    if gemeente is None:
        gemeente = Gemeente(cbs_code=c.GEMEENTE_CBS_CODE)
    gemeente.naam = c.GEMEENTE_NAAM
    gemeente.slug = c.GEMEENTE_SLUG
    gemeente.wijkteam_telefoon = c.WIJKTEAM_TELEFOON
    gemeente.wijkteam_email = c.WIJKTEAM_EMAIL
    gemeente.full_clean()
    gemeente.save()
    return gemeente


def _chunks(values: list, size: int = SQLITE_IN_CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _raw_delete(queryset) -> int:
    # One DELETE ... WHERE per table instead of loading every row: the reset of 100,000
    # households takes seconds. Safe here because the dependents are removed first.
    return queryset._raw_delete(queryset.db)


_OWN_TABLES = {Persoon, Toestemming, Buddykoppeling, Inkomen, Gebruiker}


def _apply_other_modules_on_delete(model, queryset) -> None:
    """Rows of other modules that point at the households or people about to be removed get
    what their foreign key's on_delete says: CASCADE removes them (through the ORM, so their
    own dependents follow), SET_NULL empties the reference, PROTECT/RESTRICT refuse."""
    for relation in model._meta.get_fields(include_hidden=True):  # also related_name="+"
        reverse = relation.auto_created and not relation.concrete
        if not reverse or not (relation.one_to_many or relation.one_to_one) or relation.related_model in _OWN_TABLES:
            continue
        name = relation.field.name
        rows = relation.related_model._base_manager.filter(**{f"{name}__in": queryset})
        if relation.on_delete is models.CASCADE:
            rows.delete()
        elif relation.on_delete is models.SET_NULL:
            rows.update(**{name: None})
        elif rows.exists():
            raise DemoFout(
                f"De demogegevens kunnen niet opnieuw worden gemaakt: {relation.related_model._meta.verbose_name} "
                f"verwijst nog naar een demohuishouden of -persoon ({relation.on_delete.__name__})."
            )


def _reset(gemeente: Gemeente) -> int:
    """Removes every household of the gemeente and all that hangs from it."""
    from .huishoudboekje import verwijderen as huishoudboekje_verwijderen  # its ledger is append-only

    huishoudboekje_verwijderen(gemeente)
    households = Huishouden.objects.filter(gemeente=gemeente)
    count = households.count()
    if not count:
        return 0
    personen = Persoon.objects.filter(huishouden__gemeente=gemeente)
    for model, queryset in ((Huishouden, households), (Persoon, personen)):
        _apply_other_modules_on_delete(model, queryset)
    Gebruiker.objects.filter(persoon__huishouden__gemeente=gemeente).update(persoon=None)
    _raw_delete(Inkomen.objects.filter(persoon__huishouden__gemeente=gemeente))
    _raw_delete(Toestemming.objects.filter(huishouden__gemeente=gemeente))
    _raw_delete(Buddykoppeling.objects.filter(huishouden__gemeente=gemeente))
    _raw_delete(personen)
    adres_ids = list(households.values_list("adres_id", flat=True))
    _raw_delete(Huishouden.objects.filter(gemeente=gemeente))
    for chunk in _chunks(adres_ids):
        # An address may be shared with a household elsewhere only if someone made it so by hand.
        _raw_delete(Adres.objects.filter(pk__in=chunk, huishoudens__isnull=True))
    return count


def _wijken_en_teams(gemeente: Gemeente) -> tuple[list[Wijk], list[Team]]:
    wijken = []
    for naam, code, _stems, _team in c.WIJKEN:
        wijk, _ = Wijk.objects.update_or_create(gemeente=gemeente, naam=naam, defaults={"code": code})
        wijken.append(wijk)
    teams = [Team.objects.get_or_create(gemeente=gemeente, naam=naam)[0] for naam in c.TEAMS]
    return wijken, teams


def _account(*, username: str, gemeente: Gemeente, password_hash: str, **fields) -> Gebruiker:
    gebruiker = Gebruiker.objects.filter(username=username).first()
    if gebruiker is not None and gebruiker.gemeente_id not in (None, gemeente.pk):
        raise DemoFout(f"Er is al een account '{username}' van een andere gemeente. De demo overschrijft dat niet.")
    gebruiker = gebruiker or Gebruiker(username=username)
    for name, value in fields.items():
        setattr(gebruiker, name, value)
    gebruiker.gemeente = gemeente
    gebruiker.password = password_hash
    gebruiker.is_active = True
    gebruiker.is_staff = False
    gebruiker.is_superuser = False
    gebruiker.save()
    return gebruiker


def _accounts(gemeente: Gemeente, teams: list[Team]) -> dict[str, Gebruiker]:
    # One hash for all: PBKDF2 takes about half a second per call on purpose.
    password_hash = make_password(c.DEMO_PASSWORD)
    accounts = {}
    for rol, username, first_name, last_name, team_indexes in c.MEDEWERKERS:
        gebruiker = _account(
            username=username, gemeente=gemeente, password_hash=password_hash,
            soort=Soort.MEDEWERKER, rol=rol, first_name=first_name, last_name=last_name, persoon=None,
        )
        gebruiker.teams.set([teams[i] for i in team_indexes])
        TOTPDevice.objects.filter(user=gebruiker).delete()
        TOTPDevice.objects.create(user=gebruiker, name="Demo-authenticator", key=totp_key_hex(username), confirmed=True)
        accounts[rol] = gebruiker
    accounts["inwoner"] = _account(
        username=c.INWONER_USERNAME, gemeente=gemeente, password_hash=password_hash,
        soort=Soort.INWONER, rol="", first_name="", last_name="", persoon=None,
    )
    return accounts


def _write_batch(
    batch: list[DemoHuishouden], *, gemeente: Gemeente, wijken: list[Wijk], teams: list[Team], klantmanager: Gebruiker
) -> tuple[list[Huishouden], list[list[Persoon]], int]:
    adressen = Adres.objects.bulk_create(
        [
            Adres(
                straat=h.adres.straat, huisnummer=h.adres.huisnummer, toevoeging=h.adres.toevoeging,
                postcode=h.adres.postcode, woonplaats=c.WOONPLAATS, wijk=wijken[h.adres.wijk_index],
            )
            for h in batch
        ],
        batch_size=BATCH,
    )
    huishoudens = Huishouden.objects.bulk_create(
        [
            Huishouden(
                uuid=h.uuid, gemeente=gemeente, adres=adres, wijk=adres.wijk,
                team=teams[h.team_index] if h.team_index is not None else None,
                contactpersoon=klantmanager if h.contactpersoon_klantmanager else None,
                naam=h.naam, aantal_personen=len(h.personen),
            )
            for h, adres in zip(batch, adressen, strict=True)
        ],
        batch_size=BATCH,
    )
    personen = [
        Persoon(
            huishouden=huishouden, rol=p.rol, voornamen=p.voornamen, tussenvoegsel=p.tussenvoegsel,
            achternaam=p.achternaam, geboortedatum=p.geboortedatum, email=p.email,
            bsn_versleuteld=bsn_encrypt(p.bsn), bsn_index=bsn_blind_index(p.bsn),
        )
        for h, huishouden in zip(batch, huishoudens, strict=True)
        for p in h.personen
    ]
    Persoon.objects.bulk_create(personen, batch_size=BATCH)
    inkomsten = []
    per_huishouden = []
    position = 0
    for h in batch:
        eigen = personen[position : position + len(h.personen)]
        per_huishouden.append(eigen)
        position += len(h.personen)
        for demo, persoon in zip(h.personen, eigen, strict=True):
            inkomsten += [
                Inkomen(persoon=persoon, soort=i.soort, omschrijving=i.omschrijving, bruto_per_maand=i.bruto_per_maand)
                for i in demo.inkomsten
            ]
    Inkomen.objects.bulk_create(inkomsten, batch_size=BATCH)
    return huishoudens, per_huishouden, len(inkomsten)


def _buddy_en_toestemmingen(huishoudens: list[Huishouden], buddy: Gebruiker) -> None:
    """The demo buddy supports a few households, each sharing a different part of its data."""
    today = timezone.localdate()
    vanaf = today - timedelta(days=60)
    tot = today + timedelta(days=365)
    gekozen = huishoudens[1 : 1 + c.BUDDY_KOPPELINGEN + 1]
    koppelingen = [Buddykoppeling(huishouden=h, buddy=buddy, vanaf=vanaf) for h in gekozen[:-1]]
    if len(gekozen) > c.BUDDY_KOPPELINGEN:
        # An ended koppeling: this household is no longer visible to the buddy.
        koppelingen.append(Buddykoppeling(huishouden=gekozen[-1], buddy=buddy, vanaf=vanaf - timedelta(days=365), tot=vanaf))
    Buddykoppeling.objects.bulk_create(koppelingen)
    delen_per_huishouden = (
        ((Gegevensdeel.PERSONALIA, Gegevensdeel.CONTACT), {"ontvanger_rol": Rol.BUDDY}),
        ((Gegevensdeel.PERSONALIA,), {"ontvanger_rol": Rol.BUDDY}),
        ((Gegevensdeel.PERSONALIA, Gegevensdeel.BEGELEIDING, Gegevensdeel.INKOMEN), {"ontvanger_gebruiker": buddy}),
        ((), {}),  # nothing shared: the buddy sees that the household exists, no more
        ((Gegevensdeel.PERSONALIA,), {"ontvanger_rol": Rol.BUDDY, "ingetrokken_op": timezone.now()}),
    )
    toestemmingen = [
        Toestemming(
            huishouden=huishouden, gegevensdeel=deel, doel=Doel.VRIJWILLIGE_HULP,
            geldig_vanaf=vanaf, geldig_tot=tot, **ontvanger,
        )
        for huishouden, (delen, ontvanger) in zip(gekozen, delen_per_huishouden, strict=False)
        for deel in delen
    ]
    Toestemming.objects.bulk_create(toestemmingen)


def demo_gemeente_genereren(
    *, huishoudens: int, seed: int = c.DEFAULT_SEED, voortgang: Callable[[int, int], None] | None = None
) -> DemoResultaat:
    """(Re)writes gemeente Voorbeeld with `huishoudens` households. See the module docstring."""
    if huishoudens < 1:
        raise DemoFout("Kies minstens 1 huishouden.")
    started = time.perf_counter()
    aantal_personen = aantal_inkomsten = 0
    with transaction.atomic():
        gemeente = _gemeente()
        verwijderd = _reset(gemeente)
        wijken, teams = _wijken_en_teams(gemeente)
        accounts = _accounts(gemeente, teams)
        eerste: list[Huishouden] = []
        inwoner_persoon = None
        batch: list[DemoHuishouden] = []
        written = 0

        def flush():
            nonlocal aantal_personen, aantal_inkomsten, inwoner_persoon, written
            saved, personen, inkomsten = _write_batch(
                batch, gemeente=gemeente, wijken=wijken, teams=teams, klantmanager=accounts[Rol.KLANTMANAGER]
            )
            if not eerste:
                eerste.extend(saved[: c.BUDDY_KOPPELINGEN + 2])
                inwoner_persoon = personen[0][0]
            aantal_personen += sum(len(p) for p in personen)
            aantal_inkomsten += inkomsten
            written += len(batch)
            batch.clear()
            if voortgang:
                voortgang(written, huishoudens)

        for demo in huishoudens_genereren(aantal=huishoudens, seed=seed):
            batch.append(demo)
            if len(batch) == BATCH:
                flush()
        if batch:
            flush()
        inwoner = accounts["inwoner"]
        inwoner.persoon = inwoner_persoon
        inwoner.save(update_fields=["persoon"])
        _buddy_en_toestemmingen(eerste, accounts[Rol.BUDDY])
        seconden = time.perf_counter() - started
        audit_record(
            actor=_Systeem(), actie=Actie.AANMAKEN, object_type="demo_gemeente", object_id=gemeente.pk,
            doel="demo",
            details={
                "huishoudens": huishoudens, "personen": aantal_personen, "inkomsten": aantal_inkomsten,
                "seed": seed, "verwijderde_huishoudens": verwijderd,
            },
        )
    return DemoResultaat(
        gemeente_id=gemeente.pk, huishoudens=huishoudens, personen=aantal_personen,
        inkomsten=aantal_inkomsten, verwijderd=verwijderd, seconden=seconden,
    )
