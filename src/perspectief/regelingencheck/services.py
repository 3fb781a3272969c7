"""Writes for the regelingencheck: answers, the result, the reopen code, sharing, clean-up."""

import hashlib
import json
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from perspectief.audit.constants import Actie, Resultaat
from perspectief.audit.services import audit_record
from perspectief.huishoudens import services as huishouden_services
from perspectief.huishoudens.constants import Doel, Gegevensdeel
from perspectief.regelingen.selectors import catalogus_voor_gemeente
from rekenregels import bereken

from .antwoorden import engine_huishouden
from .codes import code_hash, code_maken, code_normaliseren, herkomst_hash
from .constants import (
    BEWAARTERMIJN_DAGEN,
    CODE_MAX_FOUTE_POGINGEN,
    CODE_POGING_VENSTER_MINUTEN,
    DELEN_ONTVANGER_ROL,
)
from .models import CheckAntwoorden, CodePoging
from .uitkomst import samenvatting


class TeVeelPogingen(Exception):
    """Too many wrong codes from this origin in the window."""


class KanNietDelen(Exception):
    """The resident is not known to the municipality (no household linked)."""


def check_start(*, gemeente, nu=None) -> CheckAntwoorden:
    nu = nu or timezone.now()
    return CheckAntwoorden.objects.create(
        gemeente=gemeente, aangemaakt_op=nu, verloopt_op=nu + timedelta(days=BEWAARTERMIJN_DAGEN)
    )


def check_stap_opslaan(*, check: CheckAntwoorden, stap: str, antwoord: dict) -> CheckAntwoorden:
    check.antwoorden = {**check.antwoorden, stap: antwoord}
    check.save(update_fields=["antwoorden", "gewijzigd_op"])
    return check


# --- the result -------------------------------------------------------------------------------

_catalogus_digests: dict[int, tuple[object, str]] = {}


def _catalogus_digest(catalogus) -> str:
    """A digest of the catalogue's content, memoised per catalogue object (the regelingen
    app caches the parsed catalogues, so the same object comes back)."""
    if catalogus is None:
        return "-"
    bekend = _catalogus_digests.get(id(catalogus))
    if bekend is not None and bekend[0] is catalogus:
        return bekend[1]
    digest = hashlib.sha256(json.dumps(catalogus.data, sort_keys=True, default=str).encode()).hexdigest()
    if len(_catalogus_digests) > 64:
        _catalogus_digests.clear()
    _catalogus_digests[id(catalogus)] = (catalogus, digest)
    return digest


def check_uitkomst(*, check: CheckAntwoorden, peildatum: date) -> dict:
    """The result summary for the check's answers, on the peildatum, with the gemeente's
    catalogue valid then. Computed once and stored with the answers; computed again only
    when the answers, the date or the catalogue changed."""
    catalogus = catalogus_voor_gemeente(gemeente=check.gemeente, peildatum=peildatum)
    huishouden = engine_huishouden(antwoorden=check.antwoorden, peildatum=peildatum)
    sleutel = hashlib.sha256(
        json.dumps([huishouden, _catalogus_digest(catalogus)], sort_keys=True).encode()
    ).hexdigest()
    if check.uitkomst is not None and check.uitkomst_sleutel == sleutel:
        return check.uitkomst
    resultaat = bereken(huishouden, catalogus=catalogus)
    check.uitkomst = samenvatting(resultaat, huishouden)
    check.uitkomst_sleutel = sleutel
    check.save(update_fields=["uitkomst", "uitkomst_sleutel", "gewijzigd_op"])
    return check.uitkomst


# --- the reopen code --------------------------------------------------------------------------


def check_code_maken(*, check: CheckAntwoorden) -> str:
    """Gives the check a new code and returns it; only its hash is stored. A previous code
    of this check stops working."""
    for _poging in range(5):
        code = code_maken()
        try:
            with transaction.atomic():
                CheckAntwoorden.objects.filter(pk=check.pk).update(code_hash=code_hash(code))
        except IntegrityError:  # the same code already belongs to another check: try again
            continue
        check.code_hash = code_hash(code)
        return code
    raise RuntimeError("no free code found")


def check_openen_met_code(*, gemeente, code: str, ip_address: str | None, nu=None) -> CheckAntwoorden | None:
    """The (unexpired) check of this gemeente with this code, or None. Wrong codes are counted
    per origin; after CODE_MAX_FOUTE_POGINGEN in the window every try is refused, right or
    wrong, with TeVeelPogingen, and the refusal is audit-logged."""
    nu = nu or timezone.now()
    herkomst = herkomst_hash(ip_address)
    venster = nu - timedelta(minutes=CODE_POGING_VENSTER_MINUTEN)
    if CodePoging.objects.filter(herkomst=herkomst, tijdstip__gt=venster).count() >= CODE_MAX_FOUTE_POGINGEN:
        audit_record(
            actor=None, actie=Actie.INZIEN, object_type="regelingencheck_code", resultaat=Resultaat.GEWEIGERD,
            details={"reden": "te_veel_pogingen"},
        )
        raise TeVeelPogingen()
    genormaliseerd = code_normaliseren(code)
    check = None
    if genormaliseerd:
        check = CheckAntwoorden.objects.filter(
            code_hash=code_hash(genormaliseerd), gemeente=gemeente, verloopt_op__gt=nu
        ).first()
    if check is None:
        CodePoging.objects.create(herkomst=herkomst, tijdstip=nu)
    return check


# --- sharing with the consultant --------------------------------------------------------------


def check_delen(*, check: CheckAntwoorden, gebruiker, peildatum: date) -> CheckAntwoorden:
    """Attaches the check's result to the resident's household, under a consent (gegevensdeel
    inkomen, doel ondersteuning, for the klantmanager role) that lasts as long as the check
    is kept. Audit-logged by the consent service and here."""
    persoon = getattr(gebruiker, "persoon", None)
    if persoon is None:
        raise KanNietDelen()
    huishouden = persoon.huishouden
    check_uitkomst(check=check, peildatum=peildatum)
    with transaction.atomic():
        toestemming = huishouden_services.toestemming_create(
            actor=gebruiker,
            huishouden=huishouden,
            gegevensdeel=Gegevensdeel.INKOMEN,
            ontvanger_rol=DELEN_ONTVANGER_ROL,
            doel=Doel.ONDERSTEUNING,
            geldig_vanaf=peildatum,
            geldig_tot=max(peildatum, timezone.localdate(check.verloopt_op)),
        )
        check.gedeeld_met = huishouden
        check.toestemming = toestemming
        check.gedeeld_door = gebruiker
        check.gedeeld_op = timezone.now()
        check.save(update_fields=["gedeeld_met", "toestemming", "gedeeld_door", "gedeeld_op", "gewijzigd_op"])
        audit_record(
            actor=gebruiker, actie=Actie.AANMAKEN, object_type="regelingencheck_gedeeld", object_id=check.pk,
            huishouden_id=huishouden.pk, doel=Doel.ONDERSTEUNING,
        )
    return check


def gedeelde_checks_inzien(*, gebruiker, huishouden, checks) -> list[CheckAntwoorden]:
    """The consultant reads shared results: one audit entry per result shown."""
    checks = list(checks)
    for check in checks:
        audit_record(
            actor=gebruiker, actie=Actie.INZIEN, object_type="regelingencheck_gedeeld", object_id=check.pk,
            huishouden_id=huishouden.pk, doel=Doel.ONDERSTEUNING,
        )
    return checks


# --- clean-up ---------------------------------------------------------------------------------


def checks_opruimen(*, nu=None) -> dict[str, int]:
    """Deletes every check whose keeping period has passed, and old wrong-code tries."""
    nu = nu or timezone.now()
    verlopen, _ = CheckAntwoorden.objects.filter(verloopt_op__lte=nu).delete()
    pogingen, _ = CodePoging.objects.filter(tijdstip__lte=nu - timedelta(days=1)).delete()
    return {"checks": verlopen, "codepogingen": pogingen}
