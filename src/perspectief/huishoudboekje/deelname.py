"""Participation in the huishoudboekje and its afspraken: starting, changing and ending a
deelname, saving and ending afspraken, finding or creating the counterparty organisation.

Every function validates first and raises ``ValidationError`` with a dict of field →
Dutch (B1) messages, so a form can show each message at its field; then it writes in one
transaction and records one audit entry (no personal data in the details: field names
only).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from perspectief.audit.constants import Actie
from perspectief.audit.services import audit_record
from perspectief.contrib.bankformaten import betalingskenmerk_is_valid
from perspectief.toegang.constants import Rol

from . import betalingen
from .constants import DOEL, BetalingStatus, Frequentie, LeefgeldFrequentie, Richting, Rubriek
from .grootboek import huishoudrekening
from .models import Afspraak, Betaling, Deelname, Organisatie, Tussenrekening

__all__ = [
    "AFSPRAAK_VELDEN",
    "BETALING_VELDEN",
    "DEELNAME_VELDEN",
    "AfspraakWijziging",
    "afspraak_beeindigen",
    "afspraak_opslaan",
    "afspraak_wijzigen",
    "deelname_beeindigen",
    "deelname_starten",
    "deelname_wijzigen",
    "iban_normaliseren",
    "organisatie_zoeken_of_maken",
    "zoektermen_normaliseren",
]

CENT = Decimal("0.01")
OBJECT_DEELNAME = "huishoudboekje_deelname"
OBJECT_AFSPRAAK = "huishoudboekje_afspraak"

# What deelname_wijzigen may change (the household and the account stay as they are).
DEELNAME_VELDEN = (
    "budgetbeheerder",
    "startdatum",
    "leefgeld_frequentie",
    "leefgeld_dag",
    "leefgeld_iban",
    "leefgeld_naam",
    "buffer",
)
# What afspraak_opslaan takes; ``organisatie_naam`` is the alternative to ``organisatie``.
AFSPRAAK_VELDEN = (
    "richting",
    "rubriek",
    "omschrijving",
    "organisatie",
    "organisatie_naam",
    "tegenrekening_iban",
    "bedrag",
    "marge_bedrag",
    "marge_dagen",
    "frequentie",
    "dag",
    "maand",
    "uitgesloten_datums",
    "geldig_vanaf",
    "geldig_tot",
    "zoektermen",
    "betalingskenmerk",
    "betalen",
    "alarm",
)
# The fields of an afspraak that its payments are made from (counterparty, amount,
# references, schedule, validity, whether we pay): a change in one of them replaces the
# planned payments. Every field but those that only matter for matching and signals, so
# a field added later replaces them too unless it is listed here.
BETALING_VELDEN = frozenset(AFSPRAAK_VELDEN) - {
    "organisatie_naam",  # stored as `organisatie`, which is in
    "rubriek",
    "marge_bedrag",
    "marge_dagen",
    "zoektermen",
    "alarm",
}
AFSPRAAK_VERPLICHT = ("richting", "rubriek", "omschrijving", "tegenrekening_iban", "bedrag", "frequentie", "geldig_vanaf")
MAX_MARGE_DAGEN = 31


# --- small validators (each returns the clean value or adds a message) -------------------


class _Fouten:
    """Collects messages per field; ``raise_if_any`` raises them as one ValidationError."""

    def __init__(self) -> None:
        self.berichten: dict[str, list[str]] = {}

    def add(self, veld: str, bericht: str) -> None:
        self.berichten.setdefault(veld, []).append(bericht)

    def __contains__(self, veld: str) -> bool:
        return veld in self.berichten

    def raise_if_any(self) -> None:
        if self.berichten:
            raise ValidationError(self.berichten)


def iban_normaliseren(waarde: str) -> str:
    """An IBAN without spaces, in capitals, checked by schwifty (country, length, check
    digits, and the bank code for Dutch IBANs). Raises ValueError when it is not valid."""
    compact = re.sub(r"\s+", "", str(waarde or "")).upper()
    try:
        return str(IBAN(compact, validate_bban=True).compact)
    except SchwiftyException as fout:
        raise ValueError(str(fout)) from fout


def _iban(fouten: _Fouten, veld: str, waarde: Any) -> str:
    if not str(waarde or "").strip():
        fouten.add(veld, _("Vul een IBAN in."))
        return ""
    try:
        return iban_normaliseren(waarde)
    except ValueError:
        fouten.add(veld, _("Dit IBAN klopt niet. Kijk of u geen cijfer mist."))
        return ""


def _bedrag(fouten: _Fouten, veld: str, waarde: Any, *, nul_mag: bool) -> Decimal | None:
    if waarde is None or waarde == "":
        fouten.add(veld, _("Vul een bedrag in."))
        return None
    try:
        bedrag = waarde if isinstance(waarde, Decimal) else Decimal(str(waarde).replace(",", "."))
    except InvalidOperation:
        fouten.add(veld, _("Vul een bedrag in, zoals 12,50."))
        return None
    if not bedrag.is_finite():
        fouten.add(veld, _("Vul een bedrag in, zoals 12,50."))
        return None
    if bedrag != bedrag.quantize(CENT):
        fouten.add(veld, _("Een bedrag heeft hoogstens 2 cijfers achter de komma."))
        return None
    if bedrag < 0 or (bedrag == 0 and not nul_mag):
        fouten.add(veld, _("Vul een bedrag groter dan 0 in.") if not nul_mag else _("Het bedrag kan niet negatief zijn."))
        return None
    if bedrag >= Decimal("1000000000000"):
        fouten.add(veld, _("Dit bedrag is te groot."))
        return None
    return bedrag.quantize(CENT)


def _datum(fouten: _Fouten, veld: str, waarde: Any, *, verplicht: bool) -> date | None:
    if waarde in (None, ""):
        if verplicht:
            fouten.add(veld, _("Kies een datum."))
        return None
    if isinstance(waarde, date):
        return waarde
    try:
        return date.fromisoformat(str(waarde).strip())
    except ValueError:
        fouten.add(veld, _("Kies een datum zoals 2026-12-31."))
        return None


def _geheel(fouten: _Fouten, veld: str, waarde: Any, bericht: str, laag: int, hoog: int) -> int | None:
    try:
        getal = int(waarde)
    except (TypeError, ValueError):
        fouten.add(veld, bericht)
        return None
    if (isinstance(waarde, float) and waarde != getal) or not laag <= getal <= hoog:
        fouten.add(veld, bericht)
        return None
    return getal


def _tekst(fouten: _Fouten, veld: str, waarde: Any, *, leeg: str | None, maximaal: int) -> str:
    tekst = " ".join(str(waarde or "").split())
    if not tekst and leeg is not None:
        fouten.add(veld, leeg)
    elif len(tekst) > maximaal:
        fouten.add(veld, _("Gebruik hoogstens %(aantal)d tekens.") % {"aantal": maximaal})
    return tekst


def _dag_van(fouten: _Fouten, veld: str, frequentie: str, dag: Any) -> int | None:
    if frequentie == Frequentie.WEEK:
        return _geheel(
            fouten, veld, dag, _("Kies een dag van de week: 0 is maandag, 6 is zondag."), 0, 6
        )
    if frequentie == Frequentie.EENMALIG:
        # Unused for a one-off afspraak (its date is geldig_vanaf); stored as given or 1.
        return _geheel(fouten, veld, 1 if dag in (None, "") else dag, _("Kies een dag van 1 tot en met 31."), 0, 31)
    return _geheel(
        fouten, veld, dag, _("Kies een dag van 1 tot en met 31. Bij 29, 30 of 31 wordt het in een korte maand de laatste dag."), 1, 31
    )


def zoektermen_normaliseren(waarden: Iterable[str] | str | None) -> list[str]:
    """Search terms trimmed (inner spaces collapsed), empty ones dropped, doubles
    (ignoring case) dropped, in the order given. A string is split on commas and lines."""
    if isinstance(waarden, str):
        waarden = re.split(r"[,\n;]", waarden)
    uit: list[str] = []
    gezien: set[str] = set()
    for waarde in waarden or ():
        term = " ".join(str(waarde).split())
        if term and term.casefold() not in gezien:
            gezien.add(term.casefold())
            uit.append(term)
    return uit


def _uitgesloten(fouten: _Fouten, waarden: Iterable[Any] | str | None) -> list[str]:
    if isinstance(waarden, str):
        waarden = re.split(r"[,\n;\s]+", waarden)
    datums: set[date] = set()
    for waarde in waarden or ():
        if isinstance(waarde, date):
            datums.add(waarde)
            continue
        tekst = str(waarde).strip()
        if not tekst:
            continue
        try:
            datums.add(date.fromisoformat(tekst))
        except ValueError:
            fouten.add(
                "uitgesloten_datums",
                _("'%(waarde)s' is geen datum. Schrijf datums zoals 2026-12-25.") % {"waarde": tekst[:20]},
            )
    return [datum.isoformat() for datum in sorted(datums)]


def _audit(
    *, actor, actie: Actie, object_type: str, object_id: int, huishouden_id: int, velden: Iterable[str], **tellingen: int
):
    audit_record(
        actor=actor,
        actie=actie,
        object_type=object_type,
        object_id=object_id,
        huishouden_id=huishouden_id,
        doel=DOEL,
        details={"velden": sorted(velden), **tellingen},
    )


def _geplande_betalingen_annuleren(betalingen) -> int:
    """Planned payments (not in a batch yet) among ``betalingen`` are cancelled, so a
    later planning run does not send them (after an end date, or before planning them
    again after a change). Payments already in a batch are left to the batch."""
    return betalingen.filter(status=BetalingStatus.GEPLAND, batch=None).update(status=BetalingStatus.GEANNULEERD)


# --- deelname ------------------------------------------------------------------------------


def _deelname_velden(
    fouten: _Fouten, *, tussenrekening: Tussenrekening, velden: dict[str, Any]
) -> dict[str, Any]:
    schoon: dict[str, Any] = {}
    beheerder = velden.get("budgetbeheerder")
    if beheerder is None or getattr(beheerder, "rol", None) != Rol.BUDGETBEHEERDER or not beheerder.is_active:
        fouten.add("budgetbeheerder", _("Kies een budgetbeheerder."))
    schoon["budgetbeheerder"] = beheerder
    schoon["startdatum"] = _datum(fouten, "startdatum", velden.get("startdatum"), verplicht=True)
    frequentie = velden.get("leefgeld_frequentie")
    if frequentie not in LeefgeldFrequentie.values:
        fouten.add("leefgeld_frequentie", _("Kies elke week of elke maand."))
    schoon["leefgeld_frequentie"] = frequentie
    if frequentie == LeefgeldFrequentie.WEEK:
        schoon["leefgeld_dag"] = _geheel(
            fouten,
            "leefgeld_dag",
            velden.get("leefgeld_dag"),
            _("Kies een dag van de week: 0 is maandag, 6 is zondag."),
            0,
            6,
        )
    else:
        schoon["leefgeld_dag"] = _geheel(
            fouten, "leefgeld_dag", velden.get("leefgeld_dag"), _("Kies een dag van 1 tot en met 31."), 1, 31
        )
    schoon["leefgeld_iban"] = _iban(fouten, "leefgeld_iban", velden.get("leefgeld_iban"))
    if schoon["leefgeld_iban"] and schoon["leefgeld_iban"] == tussenrekening.iban:
        fouten.add("leefgeld_iban", _("Dit is de rekening van de gemeente. Vul de rekening van de inwoner in."))
    schoon["leefgeld_naam"] = _tekst(
        fouten, "leefgeld_naam", velden.get("leefgeld_naam"), leeg=_("Vul de naam van de rekeninghouder in."), maximaal=70
    )
    schoon["buffer"] = _bedrag(fouten, "buffer", velden.get("buffer", Decimal("0")), nul_mag=True)
    return schoon


def deelname_starten(
    *,
    actor,
    huishouden,
    tussenrekening: Tussenrekening,
    budgetbeheerder,
    startdatum: date,
    leefgeld_frequentie: str,
    leefgeld_dag: int,
    leefgeld_iban: str,
    leefgeld_naam: str,
    buffer: Decimal = Decimal("0"),
) -> Deelname:
    """A household joins the huishoudboekje: the deelname and its HUISHOUDEN ledger
    account, in one transaction, audit-logged."""
    fouten = _Fouten()
    if huishouden.gemeente_id != tussenrekening.gemeente_id:
        fouten.add("tussenrekening", _("Deze rekening hoort bij een andere gemeente dan het huishouden."))
    if Deelname.objects.filter(huishouden=huishouden).exists():
        fouten.add("huishouden", _("Dit huishouden doet al mee met het huishoudboekje."))
    schoon = _deelname_velden(
        fouten,
        tussenrekening=tussenrekening,
        velden={
            "budgetbeheerder": budgetbeheerder,
            "startdatum": startdatum,
            "leefgeld_frequentie": leefgeld_frequentie,
            "leefgeld_dag": leefgeld_dag,
            "leefgeld_iban": leefgeld_iban,
            "leefgeld_naam": leefgeld_naam,
            "buffer": buffer,
        },
    )
    fouten.raise_if_any()
    try:
        with transaction.atomic():
            deelname = Deelname.objects.create(huishouden=huishouden, tussenrekening=tussenrekening, **schoon)
            huishoudrekening(deelname)
            _audit(
                actor=actor,
                actie=Actie.AANMAKEN,
                object_type=OBJECT_DEELNAME,
                object_id=deelname.pk,
                huishouden_id=huishouden.pk,
                velden=["huishouden", "tussenrekening", *schoon],
            )
    except IntegrityError as fout:  # another request started the same household just now
        raise ValidationError({"huishouden": [_("Dit huishouden doet al mee met het huishoudboekje.")]}) from fout
    return deelname


def deelname_wijzigen(*, actor, deelname: Deelname, **velden) -> Deelname:
    """Changes the fields in ``velden`` (any of DEELNAME_VELDEN; the rest stays). A new
    startdatum may not fall after the start of an afspraak."""
    onbekend = set(velden) - set(DEELNAME_VELDEN)
    if onbekend:
        raise TypeError(f"deelname_wijzigen() does not take {sorted(onbekend)}")
    fouten = _Fouten()
    huidig = {veld: getattr(deelname, veld) for veld in DEELNAME_VELDEN}
    schoon = _deelname_velden(fouten, tussenrekening=deelname.tussenrekening, velden={**huidig, **velden})
    startdatum = schoon["startdatum"]
    if startdatum and "startdatum" not in fouten:
        if deelname.einddatum and startdatum > deelname.einddatum:
            fouten.add("startdatum", _("De startdatum ligt na de einddatum van het huishoudboekje."))
        eerste = deelname.afspraken.filter(geldig_vanaf__lt=startdatum).order_by("geldig_vanaf").first()
        if eerste is not None:
            fouten.add(
                "startdatum",
                _("Er is een afspraak die eerder begint (%(datum)s). Kies een startdatum op of voor die dag.")
                % {"datum": eerste.geldig_vanaf.isoformat()},
            )
    fouten.raise_if_any()
    gewijzigd = [veld for veld, waarde in schoon.items() if waarde != huidig[veld]]
    if not gewijzigd:
        return deelname
    with transaction.atomic():
        for veld in gewijzigd:
            setattr(deelname, veld, schoon[veld])
        deelname.save(update_fields=gewijzigd)
        _audit(
            actor=actor,
            actie=Actie.WIJZIGEN,
            object_type=OBJECT_DEELNAME,
            object_id=deelname.pk,
            huishouden_id=deelname.huishouden_id,
            velden=gewijzigd,
        )
    return deelname


def deelname_beeindigen(*, actor, deelname: Deelname, einddatum: date) -> Deelname:
    """Ends the participation on ``einddatum`` (the last day): every afspraak running
    past it ends on that day too, and planned payments (not in a batch yet) for terms
    after it are cancelled. Refused when an afspraak only starts after ``einddatum``
    (change or end that afspraak first)."""
    fouten = _Fouten()
    einddatum = _datum(fouten, "einddatum", einddatum, verplicht=True)
    if einddatum is not None:
        if einddatum < deelname.startdatum:
            fouten.add("einddatum", _("De einddatum ligt voor de startdatum (%(datum)s).") % {"datum": deelname.startdatum.isoformat()})
        elif deelname.afspraken.filter(geldig_vanaf__gt=einddatum).exists():
            fouten.add(
                "einddatum",
                _("Er is een afspraak die pas na deze datum begint. Wijzig of beëindig die afspraak eerst."),
            )
    fouten.raise_if_any()
    with transaction.atomic():
        deelname.einddatum = einddatum
        deelname.save(update_fields=["einddatum"])
        lopend = deelname.afspraken.filter(Q(geldig_tot__isnull=True) | Q(geldig_tot__gt=einddatum))
        beeindigd = list(lopend.values_list("pk", flat=True))
        lopend.update(geldig_tot=einddatum)
        geannuleerd = _geplande_betalingen_annuleren(Betaling.objects.filter(deelname=deelname, termijn__gt=einddatum))
        audit_record(
            actor=actor,
            actie=Actie.WIJZIGEN,
            object_type=OBJECT_DEELNAME,
            object_id=deelname.pk,
            huishouden_id=deelname.huishouden_id,
            doel=DOEL,
            details={"velden": ["einddatum"], "afspraken_beeindigd": beeindigd, "betalingen_geannuleerd": geannuleerd},
        )
    return deelname


# --- organisatie ------------------------------------------------------------------------------


def organisatie_zoeken_of_maken(*, gemeente, naam: str) -> Organisatie:
    """The organisation of the gemeente with this name (ignoring case and extra spaces),
    created when there is none. ``gemeente`` is a Gemeente or its pk. Raises
    ValidationError on an empty name."""
    fouten = _Fouten()
    naam = _tekst(fouten, "organisatie_naam", naam, leeg=_("Vul de naam van de organisatie in."), maximaal=120)
    fouten.raise_if_any()
    gemeente_id = gemeente if isinstance(gemeente, int) else gemeente.pk
    gevonden = Organisatie.objects.filter(gemeente_id=gemeente_id, naam__iexact=naam).order_by("pk").first()
    if gevonden is not None:
        return gevonden
    try:
        with transaction.atomic():
            return Organisatie.objects.create(gemeente_id=gemeente_id, naam=naam)
    except IntegrityError:  # created by someone else just now
        return Organisatie.objects.get(gemeente_id=gemeente_id, naam=naam)


# --- afspraken --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AfspraakWijziging:
    """What saving an afspraak did: the afspraak, the fields that changed, how many of
    its planned payments were cancelled and how many planned again with the new values,
    and how many sit in a prepared batch with the old values (all 0 when no field of
    BETALING_VELDEN changed)."""

    afspraak: Afspraak
    velden: tuple[str, ...] = ()
    betalingen_geannuleerd: int = 0
    betalingen_gepland: int = 0
    betalingen_in_batch: int = 0


def afspraak_opslaan(*, actor, deelname: Deelname, afspraak: Afspraak | None = None, **velden) -> Afspraak:
    """Creates an afspraak of ``deelname`` (``afspraak`` None) or changes ``afspraak``;
    returns the afspraak. See ``afspraak_wijzigen`` for what a change does to the planned
    payments and ``_afspraak_bewaren`` for the rules."""
    return _afspraak_bewaren(actor=actor, deelname=deelname, afspraak=afspraak, velden=velden).afspraak


def afspraak_wijzigen(*, actor, deelname: Deelname, afspraak: Afspraak, **velden) -> AfspraakWijziging:
    """Changes ``afspraak`` like ``afspraak_opslaan`` and says what happened to its
    payments, so a screen can tell the user.

    When a field its payments are made from changes (BETALING_VELDEN), in the same
    transaction: every planned payment of the afspraak that is not in a batch yet is
    cancelled (that frees its term), and the payments are planned again at once with the
    new values for the window of the daily run (today up to
    HUISHOUDBOEKJE_PLANNEN_DAGEN days ahead), with ``betalingen.afspraak_plannen``. An
    overdue planned payment (term before today) is planned again for the same term when
    that is still a term of the afspraak. Payments in a batch (IN_BATCH, VERZONDEN,
    UITGEVOERD) are never changed: a prepared batch is what the second budgetbeheerder
    approves. To change a payment in a prepared batch, refuse the batch
    (``batch_afkeuren``) before changing the afspraak; when the afspraak was changed
    first, refuse the batch and cancel that payment (``betaling_annuleren``), and the
    daily run plans its term with the new values. ``betalingen_in_batch`` counts the
    payments of a prepared batch that kept the old values, so the screen can say so.
    Leefgeld is not planned again here (the daily run does)."""
    if afspraak is None:
        raise ValueError("afspraak_wijzigen() needs the afspraak to change.")
    return _afspraak_bewaren(actor=actor, deelname=deelname, afspraak=afspraak, velden=velden)


def _afspraak_bewaren(*, actor, deelname: Deelname, afspraak: Afspraak | None, velden: dict[str, Any]) -> AfspraakWijziging:
    """Creates an afspraak of ``deelname`` (``afspraak`` None) or changes ``afspraak``
    with the fields in ``velden`` (any of AFSPRAAK_VELDEN; on a change the others stay).

    The counterparty is ``organisatie`` (an Organisatie) or ``organisatie_naam`` (found or
    created with organisatie_zoeken_of_maken). Amounts and IBANs are normalised,
    ``zoektermen`` trimmed and de-duplicated, ``uitgesloten_datums`` stored as sorted ISO
    dates. An afspraak lies within the deelname: it starts on or after its startdatum and,
    when the deelname has an einddatum, ends on or before it (an open end becomes that
    einddatum). ``betalen`` is for expenses only; an income is never paid out. The
    betalingskenmerk of an expense we pay must be a valid Dutch or RF reference (it goes
    into the payment file as structured reference); for income it is free text used in
    matching."""
    onbekend = set(velden) - set(AFSPRAAK_VELDEN)
    if onbekend:
        raise TypeError(f"afspraak_opslaan() does not take {sorted(onbekend)}")
    if afspraak is not None and afspraak.deelname_id != deelname.pk:
        raise ValueError("This afspraak belongs to another deelname.")
    nieuw = afspraak is None
    fouten = _Fouten()
    if nieuw:
        for veld in AFSPRAAK_VERPLICHT:
            if velden.get(veld) in (None, ""):
                velden.pop(veld, None)
        huidig: dict[str, Any] = {
            "marge_bedrag": Decimal("0.00"),
            "marge_dagen": 3,
            "dag": 1,
            "maand": 1,
            "uitgesloten_datums": [],
            "geldig_tot": None,
            "zoektermen": [],
            "betalingskenmerk": "",
            "alarm": True,
        }
    else:
        huidig = {veld: getattr(afspraak, veld) for veld in AFSPRAAK_VELDEN if veld != "organisatie_naam"}
    waarden = {**huidig, **velden}

    richting = waarden.get("richting")
    if richting not in Richting.values:
        fouten.add("richting", _("Kies inkomen of uitgave."))
    if waarden.get("rubriek") not in Rubriek.values:
        fouten.add("rubriek", _("Kies een rubriek."))
    schoon: dict[str, Any] = {"richting": richting, "rubriek": waarden.get("rubriek")}
    schoon["omschrijving"] = _tekst(
        fouten, "omschrijving", waarden.get("omschrijving"), leeg=_("Vul een omschrijving in, zoals 'Huur'."), maximaal=140
    )

    organisatie = velden.get("organisatie")
    organisatie_naam = velden.get("organisatie_naam")
    gemeente_id = deelname.tussenrekening.gemeente_id
    if organisatie is None and organisatie_naam not in (None, ""):
        try:
            organisatie = organisatie_zoeken_of_maken(gemeente=gemeente_id, naam=organisatie_naam)
        except ValidationError as fout:
            for bericht in fout.message_dict.get("organisatie_naam", []):
                fouten.add("organisatie_naam", bericht)
    elif organisatie is None and not nieuw:
        organisatie = afspraak.organisatie
    if organisatie is None and "organisatie_naam" not in fouten:
        fouten.add("organisatie_naam", _("Vul de naam van de organisatie in."))
    elif organisatie is not None and organisatie.gemeente_id != gemeente_id:
        fouten.add("organisatie_naam", _("Deze organisatie hoort bij een andere gemeente."))
    schoon["organisatie"] = organisatie

    schoon["tegenrekening_iban"] = _iban(fouten, "tegenrekening_iban", waarden.get("tegenrekening_iban"))
    schoon["bedrag"] = _bedrag(fouten, "bedrag", waarden.get("bedrag"), nul_mag=False)
    schoon["marge_bedrag"] = _bedrag(fouten, "marge_bedrag", waarden.get("marge_bedrag", 0), nul_mag=True)
    schoon["marge_dagen"] = _geheel(
        fouten,
        "marge_dagen",
        waarden.get("marge_dagen", 3),
        _("Kies een aantal dagen van 0 tot en met %(max)d.") % {"max": MAX_MARGE_DAGEN},
        0,
        MAX_MARGE_DAGEN,
    )

    frequentie = waarden.get("frequentie")
    if frequentie not in Frequentie.values:
        fouten.add("frequentie", _("Kies hoe vaak het geld komt of gaat."))
    schoon["frequentie"] = frequentie
    schoon["dag"] = _dag_van(fouten, "dag", frequentie, waarden.get("dag"))
    schoon["maand"] = _geheel(fouten, "maand", waarden.get("maand", 1), _("Kies een maand van 1 tot en met 12."), 1, 12)
    schoon["uitgesloten_datums"] = _uitgesloten(fouten, waarden.get("uitgesloten_datums"))
    schoon["zoektermen"] = zoektermen_normaliseren(waarden.get("zoektermen"))

    vanaf = _datum(fouten, "geldig_vanaf", waarden.get("geldig_vanaf"), verplicht=True)
    tot = _datum(fouten, "geldig_tot", waarden.get("geldig_tot"), verplicht=False)
    if vanaf is not None and vanaf < deelname.startdatum:
        fouten.add(
            "geldig_vanaf",
            _("De afspraak kan niet beginnen voor de start van het huishoudboekje (%(datum)s).")
            % {"datum": deelname.startdatum.isoformat()},
        )
    if deelname.einddatum is not None:
        if vanaf is not None and vanaf > deelname.einddatum:
            fouten.add(
                "geldig_vanaf",
                _("Het huishoudboekje stopt op %(datum)s. De afspraak moet daarvoor beginnen.")
                % {"datum": deelname.einddatum.isoformat()},
            )
        if tot is None and "geldig_tot" not in fouten:
            tot = deelname.einddatum
        elif tot is not None and tot > deelname.einddatum:
            fouten.add(
                "geldig_tot",
                _("Het huishoudboekje stopt op %(datum)s. Kies die dag of een eerdere.")
                % {"datum": deelname.einddatum.isoformat()},
            )
    if vanaf is not None and tot is not None and tot < vanaf:
        fouten.add("geldig_tot", _("De laatste dag ligt voor de eerste dag. Kies een latere datum."))
    schoon["geldig_vanaf"], schoon["geldig_tot"] = vanaf, tot

    betalen = waarden.get("betalen")
    if richting == Richting.INKOMEN:
        if betalen is True and "betalen" in velden:
            fouten.add("betalen", _("Inkomen wordt niet betaald vanaf de rekening. Zet dit vinkje uit."))
        betalen = False
    elif betalen is None:
        betalen = True
    schoon["betalen"] = bool(betalen)
    schoon["alarm"] = bool(waarden.get("alarm", True))

    if richting == Richting.UITGAVE:
        kenmerk = re.sub(r"\s+", "", str(waarden.get("betalingskenmerk") or "")).upper()
        if kenmerk and not betalingskenmerk_is_valid(kenmerk):
            fouten.add(
                "betalingskenmerk",
                _("Dit betalingskenmerk klopt niet. Neem het precies over van de rekening of de brief."),
            )
        elif len(kenmerk) > 35:
            fouten.add("betalingskenmerk", _("Gebruik hoogstens %(aantal)d tekens.") % {"aantal": 35})
    else:
        kenmerk = _tekst(fouten, "betalingskenmerk", waarden.get("betalingskenmerk"), leeg=None, maximaal=35)
    schoon["betalingskenmerk"] = kenmerk

    fouten.raise_if_any()
    tellingen: dict[str, int] = {}
    with transaction.atomic():
        if nieuw:
            afspraak = Afspraak.objects.create(deelname=deelname, **schoon)
            gewijzigd = list(schoon)
        else:
            gewijzigd = [veld for veld, waarde in schoon.items() if waarde != huidig.get(veld)]
            if not gewijzigd:
                return AfspraakWijziging(afspraak=afspraak)
            for veld in gewijzigd:
                setattr(afspraak, veld, schoon[veld])
            # This UPDATE comes first: it locks the afspraak row until the commit, and the
            # daily run reads afspraken with a lock that waits for it (and the other way
            # round), so the run never plans this afspraak's old values between the
            # cancelling and the planning below (betalingen._afspraken_vergrendeld).
            afspraak.save(update_fields=gewijzigd)
            if BETALING_VELDEN.intersection(gewijzigd):
                tellingen = _betalingen_vervangen(afspraak)
        _audit(
            actor=actor,
            actie=Actie.AANMAKEN if nieuw else Actie.WIJZIGEN,
            object_type=OBJECT_AFSPRAAK,
            object_id=afspraak.pk,
            huishouden_id=deelname.huishouden_id,
            velden=gewijzigd,
            **tellingen,
        )
    return AfspraakWijziging(afspraak=afspraak, velden=tuple(sorted(gewijzigd)), **tellingen)


def _betalingen_vervangen(afspraak: Afspraak) -> dict[str, int]:
    """Cancels the planned payments of a changed afspraak (not those in a batch) and plans
    them again with its new values, for the daily run's window and for the overdue terms
    that were waiting. Returns the counts for the audit entry (and the payments waiting
    in a prepared batch, which keep the old values)."""
    vandaag = timezone.localdate()
    tot = betalingen.plannen_tot(vandaag)
    open_betalingen = Betaling.objects.filter(afspraak=afspraak, status=BetalingStatus.GEPLAND, batch=None)
    achterstallig = set(open_betalingen.filter(termijn__lt=vandaag).values_list("termijn", flat=True))
    geannuleerd = _geplande_betalingen_annuleren(Betaling.objects.filter(afspraak=afspraak))
    gepland = betalingen.afspraak_plannen(afspraak=afspraak, peildatum=vandaag, tot=tot, achterstallig=achterstallig)
    in_batch = Betaling.objects.filter(afspraak=afspraak, status=BetalingStatus.IN_BATCH).count()
    return {"betalingen_geannuleerd": geannuleerd, "betalingen_gepland": gepland, "betalingen_in_batch": in_batch}


def afspraak_beeindigen(*, actor, afspraak: Afspraak, geldig_tot: date) -> Afspraak:
    """Ends an afspraak on ``geldig_tot`` (its last day); planned payments for later
    terms that are not in a batch yet are cancelled."""
    fouten = _Fouten()
    geldig_tot = _datum(fouten, "geldig_tot", geldig_tot, verplicht=True)
    deelname = afspraak.deelname
    if geldig_tot is not None:
        if geldig_tot < afspraak.geldig_vanaf:
            fouten.add(
                "geldig_tot",
                _("De afspraak begint op %(datum)s. Kies die dag of een latere.")
                % {"datum": afspraak.geldig_vanaf.isoformat()},
            )
        elif deelname.einddatum is not None and geldig_tot > deelname.einddatum:
            fouten.add(
                "geldig_tot",
                _("Het huishoudboekje stopt op %(datum)s. Kies die dag of een eerdere.")
                % {"datum": deelname.einddatum.isoformat()},
            )
    fouten.raise_if_any()
    with transaction.atomic():
        afspraak.geldig_tot = geldig_tot
        afspraak.save(update_fields=["geldig_tot"])
        geannuleerd = _geplande_betalingen_annuleren(Betaling.objects.filter(afspraak=afspraak, termijn__gt=geldig_tot))
        audit_record(
            actor=actor,
            actie=Actie.WIJZIGEN,
            object_type=OBJECT_AFSPRAAK,
            object_id=afspraak.pk,
            huishouden_id=deelname.huishouden_id,
            doel=DOEL,
            details={"velden": ["geldig_tot"], "betalingen_geannuleerd": geannuleerd},
        )
    return afspraak
