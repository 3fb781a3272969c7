"""Changing households. Every change is atomic and audit-logged."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from perspectief.audit.constants import Actie
from perspectief.audit.services import audit_record

from .bsn import OngeldigBSN, bsn_blind_index, bsn_encrypt, bsn_normalise
from .constants import RolInHuishouden
from .models import Adres, Buddykoppeling, Gemeente, Huishouden, Inkomen, Persoon, Toestemming
from .validators import postcode_normalise


def _household_name(persoon: Persoon) -> str:
    return " ".join(part for part in (persoon.tussenvoegsel, persoon.achternaam) if part)


def _refresh_summary(huishouden: Huishouden) -> None:
    aanvrager = huishouden.personen.filter(rol=RolInHuishouden.AANVRAGER).first()
    huishouden.naam = _household_name(aanvrager) if aanvrager else ""
    huishouden.aantal_personen = huishouden.personen.aggregate(n=Count("pk"))["n"]
    huishouden.save(update_fields=["naam", "aantal_personen", "gewijzigd_op"])


def _check_bsn_free(bsn_index: str, *, except_persoon_id: int | None = None) -> None:
    taken = Persoon.objects.filter(bsn_index=bsn_index).exclude(pk=except_persoon_id)
    if taken.exists():
        raise ValidationError({"bsn": "Dit BSN hoort al bij een andere persoon."})


def _apply_bsn(persoon: Persoon, bsn: str | None) -> None:
    if not bsn:
        persoon.bsn_versleuteld = None
        persoon.bsn_index = None
        return
    try:
        normal = bsn_normalise(bsn)
    except OngeldigBSN as error:
        raise ValidationError({"bsn": str(error)}) from error
    index = bsn_blind_index(normal)
    _check_bsn_free(index, except_persoon_id=persoon.pk)
    persoon.bsn_versleuteld = bsn_encrypt(normal)
    persoon.bsn_index = index


def _check_role_fits(huishouden: Huishouden, rol: str, *, except_persoon_id: int | None = None) -> None:
    others = huishouden.personen.exclude(pk=except_persoon_id)
    if rol == RolInHuishouden.AANVRAGER and others.filter(rol=RolInHuishouden.AANVRAGER).exists():
        raise ValidationError({"rol": "Dit huishouden heeft al een aanvrager. Kies een andere rol."})
    if rol == RolInHuishouden.PARTNER and others.filter(rol=RolInHuishouden.PARTNER).exists():
        raise ValidationError({"rol": "Dit huishouden heeft al een partner. Kies een andere rol."})


def _check_birth_date(geboortedatum: date) -> None:
    today = timezone.localdate()
    if geboortedatum > today:
        raise ValidationError({"geboortedatum": "De geboortedatum ligt in de toekomst. Kijk de datum na."})
    try:
        oldest = today.replace(year=today.year - 120)
    except ValueError:  # 29 February
        oldest = today.replace(year=today.year - 120, day=28)
    if geboortedatum < oldest:
        raise ValidationError({"geboortedatum": "Deze geboortedatum is meer dan 120 jaar geleden. Kijk de datum na."})


def adres_create(*, straat: str, huisnummer: int, toevoeging: str = "", postcode: str, woonplaats: str, wijk=None) -> Adres:
    try:
        postcode = postcode_normalise(postcode)
    except ValidationError as error:
        raise ValidationError({"postcode": error.messages}) from error
    adres = Adres(
        straat=straat.strip(),
        huisnummer=huisnummer,
        toevoeging=toevoeging.strip(),
        postcode=postcode,
        woonplaats=woonplaats.strip(),
        wijk=wijk,
    )
    adres.full_clean()
    adres.save()
    return adres


def huishouden_create(
    *,
    actor,
    gemeente: Gemeente,
    adres: dict,
    aanvrager: dict,
    team=None,
    contactpersoon=None,
) -> Huishouden:
    """A new household with its address and its aanvrager. Nothing is saved on any error."""
    with transaction.atomic():
        nieuw_adres = adres_create(**adres)
        huishouden = Huishouden.objects.create(
            gemeente=gemeente, adres=nieuw_adres, wijk=nieuw_adres.wijk, team=team, contactpersoon=contactpersoon
        )
        persoon_add(actor=actor, huishouden=huishouden, rol=RolInHuishouden.AANVRAGER, **aanvrager)
        audit_record(
            actor=actor, actie=Actie.AANMAKEN, object_type="huishouden", object_id=huishouden.pk,
            huishouden_id=huishouden.pk, doel="ondersteuning",
        )
    return huishouden


def persoon_add(
    *,
    actor,
    huishouden: Huishouden,
    rol: str,
    voornamen: str,
    achternaam: str,
    geboortedatum: date,
    tussenvoegsel: str = "",
    bsn: str | None = None,
    email: str = "",
    telefoon: str = "",
) -> Persoon:
    with transaction.atomic():
        _check_birth_date(geboortedatum)
        _check_role_fits(huishouden, rol)
        persoon = Persoon(
            huishouden=huishouden, rol=rol, voornamen=voornamen.strip(), tussenvoegsel=tussenvoegsel.strip(),
            achternaam=achternaam.strip(), geboortedatum=geboortedatum, email=email, telefoon=telefoon,
        )
        _apply_bsn(persoon, bsn)
        persoon.full_clean(exclude=["huishouden"])
        persoon.save()
        _refresh_summary(huishouden)
        audit_record(
            actor=actor, actie=Actie.AANMAKEN, object_type="persoon", object_id=persoon.pk,
            huishouden_id=huishouden.pk, doel="ondersteuning",
        )
    return persoon


def persoon_update(*, actor, persoon: Persoon, bsn: str | None = None, **fields) -> Persoon:
    """Changes the given fields; `bsn=None` keeps the BSN, `bsn=""` removes it. The person's
    row is locked and read afresh, so two changes at once do not overwrite each other."""
    with transaction.atomic():
        persoon = Persoon.objects.select_for_update().get(pk=persoon.pk)
        if "geboortedatum" in fields:
            _check_birth_date(fields["geboortedatum"])
        if "rol" in fields:
            _check_role_fits(persoon.huishouden, fields["rol"], except_persoon_id=persoon.pk)
        for name, value in fields.items():
            setattr(persoon, name, value.strip() if isinstance(value, str) else value)
        if bsn is not None:
            _apply_bsn(persoon, bsn)
        persoon.full_clean(exclude=["huishouden"])
        persoon.save()
        _refresh_summary(persoon.huishouden)
        audit_record(
            actor=actor, actie=Actie.WIJZIGEN, object_type="persoon", object_id=persoon.pk,
            huishouden_id=persoon.huishouden_id, doel="ondersteuning",
            details={"velden": sorted(list(fields) + (["bsn"] if bsn is not None else []))},
        )
    return persoon


def persoon_delete(*, actor, persoon: Persoon) -> None:
    if persoon.rol == RolInHuishouden.AANVRAGER:
        raise ValidationError("De aanvrager kan niet worden verwijderd. Maak eerst iemand anders aanvrager.")
    with transaction.atomic():
        huishouden, persoon_id = persoon.huishouden, persoon.pk
        persoon.delete()
        _refresh_summary(huishouden)
        audit_record(
            actor=actor, actie=Actie.VERWIJDEREN, object_type="persoon", object_id=persoon_id,
            huishouden_id=huishouden.pk, doel="ondersteuning",
        )


def inkomen_add(*, actor, persoon: Persoon, soort: str, bruto_per_maand: Decimal, omschrijving: str = "") -> Inkomen:
    with transaction.atomic():
        inkomen = Inkomen(persoon=persoon, soort=soort, bruto_per_maand=bruto_per_maand, omschrijving=omschrijving)
        inkomen.full_clean()
        inkomen.save()
        audit_record(
            actor=actor, actie=Actie.AANMAKEN, object_type="inkomen", object_id=inkomen.pk,
            huishouden_id=persoon.huishouden_id, doel="ondersteuning",
        )
    return inkomen


def toestemming_create(*, actor, huishouden: Huishouden, **fields) -> Toestemming:
    with transaction.atomic():
        toestemming = Toestemming(huishouden=huishouden, **fields)
        toestemming.full_clean()
        toestemming.save()
        audit_record(
            actor=actor, actie=Actie.AANMAKEN, object_type="toestemming", object_id=toestemming.pk,
            huishouden_id=huishouden.pk, doel=toestemming.doel,
        )
    return toestemming


def toestemming_intrekken(*, actor, toestemming: Toestemming) -> Toestemming:
    with transaction.atomic():
        toestemming.ingetrokken_op = timezone.now()
        toestemming.save(update_fields=["ingetrokken_op"])
        audit_record(
            actor=actor, actie=Actie.WIJZIGEN, object_type="toestemming", object_id=toestemming.pk,
            huishouden_id=toestemming.huishouden_id, doel=toestemming.doel, details={"ingetrokken": True},
        )
    return toestemming


def buddy_koppelen(*, actor, huishouden: Huishouden, buddy, vanaf: date, tot: date | None = None) -> Buddykoppeling:
    with transaction.atomic():
        koppeling = Buddykoppeling.objects.create(huishouden=huishouden, buddy=buddy, vanaf=vanaf, tot=tot)
        audit_record(
            actor=actor, actie=Actie.AANMAKEN, object_type="buddykoppeling", object_id=koppeling.pk,
            huishouden_id=huishouden.pk, doel="vrijwillige_hulp",
        )
    return koppeling


def huishoudens_bulk_aanmaken(*, actor, gemeente: Gemeente, team, huishoudens: list[dict], doel: str) -> list[Huishouden]:
    """Many new households at once (imports), in one transaction: Adres, Huishouden, Persoon
    (BSN encrypted with its blind index) and Inkomen rows with bulk inserts.

    Each item: ``{"adres": {straat, huisnummer, toevoeging, postcode, woonplaats},
    "personen": [{rol, voornamen, tussenvoegsel, achternaam, geboortedatum, bsn,
    "inkomsten": [(soort, bruto_per_maand), ...]}]}`` with the aanvrager first. The caller has
    validated the values (postcode normalised, BSN 11-proef, dates) and checked that no BSN is
    taken; a taken BSN still fails the unique index and rolls everything back. One audit entry
    per call lists the new households' ids."""
    if not huishoudens:
        return []
    with transaction.atomic():
        adressen = Adres.objects.bulk_create(
            [Adres(**{**h["adres"], "woonplaats": h["adres"].get("woonplaats") or gemeente.naam}) for h in huishoudens]
        )
        nieuw = Huishouden.objects.bulk_create([
            Huishouden(
                gemeente=gemeente, adres=adres, wijk=adres.wijk, team=team, naam=_household_name(Persoon(**_naamvelden(h["personen"][0]))),
                aantal_personen=len(h["personen"]),
            )
            for h, adres in zip(huishoudens, adressen, strict=True)
        ])
        personen, inkomsten = [], []
        for h, huishouden in zip(huishoudens, nieuw, strict=True):
            for p in h["personen"]:
                bsn = bsn_normalise(p["bsn"])
                persoon = Persoon(
                    huishouden=huishouden, rol=p["rol"], geboortedatum=p["geboortedatum"],
                    bsn_versleuteld=bsn_encrypt(bsn), bsn_index=bsn_blind_index(bsn), **_naamvelden(p),
                )
                personen.append(persoon)
                inkomsten += [(persoon, soort, bedrag) for soort, bedrag in p.get("inkomsten", ()) if bedrag]
        Persoon.objects.bulk_create(personen)
        Inkomen.objects.bulk_create(
            [Inkomen(persoon=persoon, soort=soort, bruto_per_maand=bedrag) for persoon, soort, bedrag in inkomsten]
        )
        audit_record(
            actor=actor, actie=Actie.AANMAKEN, object_type="huishouden", object_id="bulk", doel=doel,
            details={"huishoudens": [h.pk for h in nieuw], "personen": len(personen)},
        )
    return nieuw


def _naamvelden(persoon: dict) -> dict:
    return {
        "voornamen": persoon["voornamen"].strip(), "tussenvoegsel": persoon.get("tussenvoegsel", "").strip(),
        "achternaam": persoon["achternaam"].strip(),
    }
