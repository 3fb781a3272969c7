"""Writing: imports, proactive runs, decisions and opt-outs. Atomic and audit-logged."""

from __future__ import annotations

import datetime as dt
import logging
import time
from decimal import Decimal
from itertools import repeat

import numpy as np
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.audit.constants import Actie
from perspectief.audit.services import audit_record
from perspectief.huishoudens import selectors as huishouden_selectors
from perspectief.huishoudens import services as huishouden_services
from perspectief.huishoudens.bsn import bsn_blind_index, bsn_decrypt, bsn_encrypt
from perspectief.regelingen.selectors import catalogus_voor_gemeente
from rekenregels import JA

from . import csv_formaat, selectors
from .constants import (
    DOEL,
    WACHTTIJD_NA_BESLUIT_DAGEN,
    AfmeldingVia,
    BesluitSoort,
    ImportStatus,
    OntvangstBron,
    RondeStatus,
)
from .models import Afmelding, Besluit, Import, Kandidaat, Momentopname, Ontvangst, Ronde

logger = logging.getLogger(__name__)

IMPORT_BATCH = 1000
KANDIDAAT_BATCH = 5000


# --- import ----------------------------------------------------------------------------------


def import_aanmaken(*, actor, gemeente, team, inhoud: bytes) -> Import:
    """Stores the uploaded file (encrypted: it holds BSNs) and schedules its processing.

    Raises csv_formaat.BestandGeweigerd when the file as a whole cannot be read; then nothing
    is stored."""
    csv_formaat.kop_controleren(inhoud)
    with transaction.atomic():
        upload = Import.objects.create(
            gemeente=gemeente, team=team, uitgevoerd_door=actor, bestand_hash=csv_formaat.bestand_hash(inhoud),
            inhoud_versleuteld=bsn_encrypt(inhoud.decode("latin-1")),
        )
        audit_record(actor=actor, actie=Actie.AANMAKEN, object_type="proactief_import", object_id=upload.pk, doel=DOEL)
        from .tasks import import_verwerken_task

        transaction.on_commit(lambda: import_verwerken_task.delay(upload.pk))
    return upload


def _voortgang(upload: Import, procent: int) -> None:
    Import.objects.filter(pk=upload.pk).update(voortgang=procent)


def _weiger(upload: Import, melding: str, status=ImportStatus.GEWEIGERD) -> Import:
    upload.status = status
    upload.melding = melding
    upload.inhoud_versleuteld = None
    upload.voortgang = 100
    upload.klaar_op = timezone.now()
    upload.save()
    return upload


def import_verwerken(*, import_id: int) -> Import:
    """Reads the file, creates or links the households, keeps the engine input per household.

    Idempotent: a file that was read before adds nothing; a household already known by its key
    (or its aanvrager's BSN) is linked, and its snapshot only changes when its data changed."""
    # Claim the import: a task that is delivered twice (or a direct call next to the task)
    # processes it once.
    geclaimd = Import.objects.filter(pk=import_id, status=ImportStatus.WACHTEND).update(status=ImportStatus.BEZIG, voortgang=1)
    upload = Import.objects.select_related("gemeente", "team", "uitgevoerd_door").get(pk=import_id)
    if not geclaimd:
        return upload
    eerder = (
        Import.objects.filter(gemeente=upload.gemeente, bestand_hash=upload.bestand_hash, status=ImportStatus.KLAAR)
        .exclude(pk=upload.pk).first()
    )
    if eerder is not None:
        datum = timezone.localtime(eerder.aangemaakt_op).strftime("%d-%m-%Y %H:%M")
        reden = _("Dit bestand is al ingelezen op %(datum)s. Er is niets toegevoegd.") % {"datum": datum}
        return _weiger(upload, reden, ImportStatus.AL_INGELEZEN)
    inhoud = bsn_decrypt(upload.inhoud_versleuteld).encode("latin-1")
    catalogus = catalogus_voor_gemeente(gemeente=upload.gemeente, peildatum=timezone.localdate())
    bekend = frozenset(r["code"] for r in catalogus.regelingen) if catalogus is not None else None
    try:
        gelezen = csv_formaat.lees(inhoud, bekende_regelingen=bekend)
    except csv_formaat.BestandGeweigerd as fout:
        return _weiger(upload, str(fout))
    _voortgang(upload, 10)
    fouten = list(gelezen.fouten)
    tellingen = {"nieuw": 0, "gekoppeld": 0, "bijgewerkt": 0, "ongewijzigd": 0, "overgeslagen": gelezen.overgeslagen}
    totaal = len(gelezen.huishoudens)
    for start in range(0, totaal, IMPORT_BATCH):
        batch = gelezen.huishoudens[start : start + IMPORT_BATCH]
        _batch_verwerken(upload, batch, fouten, tellingen)
        _voortgang(upload, 10 + int(89 * min(totaal, start + IMPORT_BATCH) / max(totaal, 1)))
    fouten.sort(key=lambda f: f["regel"])
    upload.refresh_from_db()
    upload.status = ImportStatus.KLAAR
    upload.inhoud_versleuteld = None
    upload.voortgang = 100
    upload.klaar_op = timezone.now()
    upload.aantal_regels = gelezen.aantal_regels
    upload.aantal_huishoudens = totaal
    upload.fouten = fouten
    for naam, waarde in tellingen.items():
        setattr(upload, naam, waarde)
    upload.save()
    audit_record(
        actor=upload.uitgevoerd_door, actie=Actie.WIJZIGEN, object_type="proactief_import", object_id=upload.pk,
        doel=DOEL, details={**tellingen, "regels": gelezen.aantal_regels, "foute_regels": len(fouten)},
    )
    selectors.populatie_vergeten(gemeente_id=upload.gemeente_id)
    _cache_vullen(upload.gemeente)
    return upload


def _cache_vullen(gemeente) -> None:
    """Reads the new population into this process's cache and screens it for today, so the
    first run or what-if after an import does not wait for it. Never fails the import."""
    try:
        catalogus = catalogus_voor_gemeente(gemeente=gemeente, peildatum=timezone.localdate())
        if catalogus is not None:
            selectors.screening(gemeente_id=gemeente.pk, peildatum=timezone.localdate(), catalogus=catalogus)
    except Exception:  # the cache is an optimisation; the import itself is done
        logger.exception("proactief: population cache not filled after import")


def _batch_verwerken(upload: Import, batch: list, fouten: list[dict], tellingen: dict) -> None:
    gemeente = upload.gemeente
    sleutels = [h.sleutel for h in batch]
    bestaand = {m.sleutel: m for m in Momentopname.objects.filter(gemeente=gemeente, sleutel__in=sleutels)}
    indexen = {p.bsn: bsn_blind_index(p.bsn) for h in batch for p in h.personen}
    bekend = huishouden_selectors.huishoudens_bij_bsn_indexen(indexen=list(indexen.values()))
    met_opname = set(
        Momentopname.objects.filter(huishouden_id__in={v[0] for v in bekend.values()}).values_list("huishouden_id", flat=True)
    )
    nieuw, nieuwe_opnamen, gewijzigd, ontvangsten, overgeslagen = [], [], [], [], []

    def fout(h, regel, reden):
        fouten.append({"regel": regel, "reden": reden})
        gevolg = _("Daarom is huishouden '%(sleutel)s' helemaal niet ingelezen.") % {"sleutel": h.sleutel}
        fouten.append({"regel": regel, "reden": gevolg})
        overgeslagen.append(h)

    for h in batch:
        aanvrager_index = indexen[h.aanvrager.bsn]
        opname = bestaand.get(h.sleutel)
        if opname is not None:
            if opname.aanvrager_bsn_index != aanvrager_index:
                fout(h, h.aanvrager.regel, _(
                    "Huishouden '%(sleutel)s' had eerder een andere aanvrager. "
                    "Pas dit aan in de bijstandsadministratie of in Perspectief."
                ) % {"sleutel": h.sleutel})
                continue
            if opname.gegevens_hash != h.gegevens_hash():
                _opname_vullen(opname, h, upload)
                gewijzigd.append(opname)
            else:
                tellingen["ongewijzigd"] += 1
            ontvangsten += [(opname.huishouden_id, code) for code in h.lopende_regelingen]
            continue
        gevonden = bekend.get(aanvrager_index)
        if gevonden is not None:
            huishouden_id, gemeente_id = gevonden
            if gemeente_id != gemeente.pk:
                fout(h, h.aanvrager.regel, _("Het BSN van de aanvrager hoort bij een huishouden van een andere gemeente."))
                continue
            if huishouden_id in met_opname:
                fout(h, h.aanvrager.regel, _("De aanvrager hoort bij een huishouden dat al met een ander huishoudnummer is ingelezen."))
                continue
            opname = Momentopname(gemeente=gemeente, huishouden_id=huishouden_id, sleutel=h.sleutel,
                                  aanvrager_bsn_index=aanvrager_index)
            _opname_vullen(opname, h, upload)
            nieuwe_opnamen.append(opname)
            met_opname.add(huishouden_id)
            ontvangsten += [(huishouden_id, code) for code in h.lopende_regelingen]
            tellingen["gekoppeld"] += 1
            continue
        bezet = next((p for p in h.personen if indexen[p.bsn] in bekend), None)
        if bezet is not None:
            fout(h, bezet.regel, _("Dit BSN hoort al bij een persoon in een ander huishouden."))
            continue
        nieuw.append(h)

    with transaction.atomic():
        aangemaakt = huishouden_services.huishoudens_bulk_aanmaken(
            actor=upload.uitgevoerd_door, gemeente=gemeente, team=upload.team, doel=DOEL,
            huishoudens=[_huishouden_gegevens(h) for h in nieuw],
        )
        for h, huishouden in zip(nieuw, aangemaakt, strict=True):
            opname = Momentopname(gemeente=gemeente, huishouden_id=huishouden.pk, sleutel=h.sleutel,
                                  aanvrager_bsn_index=indexen[h.aanvrager.bsn])
            _opname_vullen(opname, h, upload)
            nieuwe_opnamen.append(opname)
            ontvangsten += [(huishouden.pk, code) for code in h.lopende_regelingen]
        Momentopname.objects.bulk_create(nieuwe_opnamen)
        Momentopname.objects.bulk_update(
            gewijzigd, ["laatste_import", "gegevens_hash", "personen", "woningsoort", "kale_huur_per_maand",
                        "servicekosten_per_maand", "maanden_laag_inkomen", "bijgewerkt_op"],
        )
        Ontvangst.objects.bulk_create(
            [Ontvangst(huishouden_id=h, regeling=code, bron=OntvangstBron.IMPORT) for h, code in ontvangsten],
            ignore_conflicts=True,
        )
        if nieuwe_opnamen or gewijzigd:
            audit_record(
                actor=upload.uitgevoerd_door, actie=Actie.WIJZIGEN, object_type="proactief_momentopname",
                object_id=upload.pk, doel=DOEL,
                details={"huishoudens": [o.huishouden_id for o in nieuwe_opnamen + gewijzigd]},
            )
    tellingen["nieuw"] += len(aangemaakt)
    tellingen["bijgewerkt"] += len(gewijzigd)
    tellingen["overgeslagen"] += len(overgeslagen)


def _opname_vullen(opname: Momentopname, h, upload: Import) -> None:
    opname.laatste_import = upload
    opname.gegevens_hash = h.gegevens_hash()
    opname.personen = h.engine_personen()
    opname.woningsoort = h.woningsoort
    opname.kale_huur_per_maand = h.kale_huur
    opname.servicekosten_per_maand = h.servicekosten
    opname.maanden_laag_inkomen = h.maanden_laag_inkomen
    opname.bijgewerkt_op = timezone.now()


def _huishouden_gegevens(h) -> dict:
    return {
        "adres": {"straat": h.straat, "huisnummer": h.huisnummer, "toevoeging": h.toevoeging,
                  "postcode": h.postcode, "woonplaats": h.woonplaats},
        "personen": [
            {"rol": p.rol, "voornamen": p.voornamen, "tussenvoegsel": p.tussenvoegsel, "achternaam": p.achternaam,
             "geboortedatum": p.geboortedatum, "bsn": p.bsn,
             "inkomsten": [("loon", p.loon), ("uitkering", p.uitkering), ("overig", p.overig)]}
            for p in h.personen
        ],
    }


# --- proactive run ---------------------------------------------------------------------------


class RondeFout(ValueError):
    pass


def ronde_uitvoeren(*, actor, gemeente, peildatum: dt.date) -> Ronde:
    """Screens every imported household of the gemeente and writes the candidate lists.

    A candidate qualifies (recht ja) for a municipal scheme, does not receive it yet, has not
    opted out (for all schemes or this one) and has no letter or "niet doen" decision for it
    in the last year."""
    gestart = time.perf_counter()
    catalogus = catalogus_voor_gemeente(gemeente=gemeente, peildatum=peildatum)
    if catalogus is None:
        raise RondeFout(_("Voor deze gemeente en datum is geen regelingenlijst gepubliceerd."))
    ronde = Ronde.objects.create(
        gemeente=gemeente, peildatum=peildatum, gestart_door=actor,
        catalogus=f"{catalogus.gemeente['naam']} vanaf {catalogus.geldig_vanaf.isoformat()}",
    )
    try:
        return _ronde_afmaken(actor=actor, gemeente=gemeente, peildatum=peildatum, catalogus=catalogus, ronde=ronde,
                              gestart=gestart)
    except Exception:
        Ronde.objects.filter(pk=ronde.pk).update(status=RondeStatus.MISLUKT)
        raise


def _ronde_afmaken(*, actor, gemeente, peildatum, catalogus, ronde: Ronde, gestart: float) -> Ronde:
    gescreend = selectors.screening(gemeente_id=gemeente.pk, peildatum=peildatum, catalogus=catalogus)
    ids = gescreend.huishouden_ids
    uitsluiten = _uitgesloten(gemeente=gemeente)
    afgemeld_alles = np.isin(ids, uitsluiten.pop("", np.empty(0, dtype=np.int64)))
    per_regeling, blokken, overgeslagen_afmelding = {}, [], 0
    for code, uitkomst in gescreend.gemeentelijk.items():
        ja = uitkomst.recht == JA
        weg = np.isin(ids, uitsluiten.get(code, np.empty(0, dtype=np.int64))) | afgemeld_alles
        overgeslagen_afmelding += int((ja & afgemeld_alles).sum())
        gekozen = np.flatnonzero(ja & ~weg)
        details = gescreend.details.get(code, {})
        inkomen, grens = details.get("inkomen_per_maand"), details.get("inkomensgrens_per_maand")
        blokken.append((
            code, ids[gekozen], uitkomst.bedrag_per_jaar[gekozen],
            inkomen[gekozen] if inkomen is not None else None, grens[gekozen] if grens is not None else None,
        ))
        per_regeling[code] = {"naam": uitkomst.definitie["naam"], "kandidaten": int(gekozen.size)}
    with transaction.atomic():
        aantal = _kandidaten_schrijven(ronde, blokken)
        ronde.status = RondeStatus.KLAAR
        ronde.aantal_huishoudens = int(ids.size)
        ronde.aantal_kandidaten = aantal
        ronde.overgeslagen_afmelding = overgeslagen_afmelding
        ronde.per_regeling = per_regeling
        ronde.seconden = round(time.perf_counter() - gestart, 2)
        ronde.save()
        audit_record(
            actor=actor, actie=Actie.AANMAKEN, object_type="proactief_ronde", object_id=ronde.pk, doel=DOEL,
            details={"huishoudens": ronde.aantal_huishoudens, "kandidaten": ronde.aantal_kandidaten,
                     "peildatum": peildatum.isoformat()},
        )
    return ronde


def _kandidaten_schrijven(ronde: Ronde, blokken: list) -> int:
    """Writes the candidate rows: on PostgreSQL with COPY (one stream), elsewhere with
    bulk_create in batches. Amounts are rounded to cents."""
    aantal = sum(int(huishoudens.size) for _, huishoudens, _, _, _ in blokken)
    if connection.vendor == "postgresql":
        kolommen = "ronde_id, huishouden_id, regeling, bedrag_per_jaar, inkomen_per_maand, inkomensgrens_per_maand"
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {Kandidaat._meta.db_table} ({kolommen}) FROM STDIN") as copy:
            for code, huishoudens, bedragen, inkomens, grenzen in blokken:
                for start in range(0, huishoudens.size, KANDIDAAT_BATCH):
                    deel = slice(start, start + KANDIDAAT_BATCH)
                    regels = zip(
                        huishoudens[deel].tolist(), _centen_tekst(bedragen[deel]),
                        _centen_tekst(inkomens[deel]) if inkomens is not None else repeat("\\N"),
                        _centen_tekst(grenzen[deel]) if grenzen is not None else repeat("\\N"),
                    )
                    copy.write("".join(f"{ronde.pk}\t{h}\t{code}\t{b}\t{i}\t{g}\n" for h, b, i, g in regels))
        return aantal
    for code, huishoudens, bedragen, inkomens, grenzen in blokken:
        for start in range(0, huishoudens.size, KANDIDAAT_BATCH):
            deel = slice(start, start + KANDIDAAT_BATCH)
            Kandidaat.objects.bulk_create([
                Kandidaat(
                    ronde=ronde, huishouden_id=h, regeling=code, bedrag_per_jaar=Decimal(b),
                    inkomen_per_maand=Decimal(i) if inkomens is not None else None,
                    inkomensgrens_per_maand=Decimal(g) if grenzen is not None else None,
                )
                for h, b, i, g in zip(
                    huishoudens[deel].tolist(), _centen_tekst(bedragen[deel]),
                    _centen_tekst(inkomens[deel]) if inkomens is not None else repeat(None),
                    _centen_tekst(grenzen[deel]) if grenzen is not None else repeat(None),
                )
            ])
    return aantal


def _centen_tekst(bedragen: np.ndarray) -> list[str]:
    return [f"{b:.2f}" for b in np.round(bedragen.astype(np.float64), 2).tolist()]


def _uitgesloten(*, gemeente) -> dict[str, np.ndarray]:
    """Per scheme code the households that later runs leave alone ("" = opted out of all)."""
    paren: dict[str, list[int]] = {}
    for huishouden_id, code in Ontvangst.objects.filter(huishouden__gemeente=gemeente).values_list("huishouden_id", "regeling"):
        paren.setdefault(code, []).append(huishouden_id)
    for huishouden_id, code in Afmelding.objects.filter(huishouden__gemeente=gemeente).values_list("huishouden_id", "regeling"):
        paren.setdefault(code, []).append(huishouden_id)
    sinds = timezone.now() - dt.timedelta(days=WACHTTIJD_NA_BESLUIT_DAGEN)
    recent = Besluit.objects.filter(huishouden__gemeente=gemeente, genomen_op__gte=sinds).exclude(soort=BesluitSoort.TOEKENNEN)
    for huishouden_id, code in recent.values_list("huishouden_id", "regeling"):
        paren.setdefault(code, []).append(huishouden_id)
    return {code: np.asarray(ids, dtype=np.int64) for code, ids in paren.items()}


# --- decisions and opt-outs --------------------------------------------------------------------


def besluit_nemen(*, actor, kandidaat: Kandidaat, soort: str, reden: str = "") -> Besluit:
    """Records the decision on one candidate. A candidate is decided once; a scheme is granted
    to a household once (both enforced by the database)."""
    reden = reden.strip()
    if soort not in BesluitSoort.values:
        raise ValidationError({"soort": _("Kies wat u wilt doen.")})
    if soort == BesluitSoort.NIET_DOEN and not reden:
        raise ValidationError({"reden": _("Schrijf op waarom u niets doet.")})
    try:
        with transaction.atomic():
            Kandidaat.objects.select_for_update().filter(pk=kandidaat.pk).first()
            if Besluit.objects.filter(kandidaat=kandidaat).exists():
                raise ValidationError(_("Over deze regeling voor dit huishouden is al besloten."))
            besluit = Besluit.objects.create(
                kandidaat=kandidaat, huishouden_id=kandidaat.huishouden_id, regeling=kandidaat.regeling, soort=soort,
                reden=reden, bedrag_per_jaar=kandidaat.bedrag_per_jaar, genomen_door=actor,
            )
            if soort == BesluitSoort.TOEKENNEN:
                Ontvangst.objects.create(
                    huishouden_id=kandidaat.huishouden_id, regeling=kandidaat.regeling, bron=OntvangstBron.TOEKENNING
                )
            audit_record(
                actor=actor, actie=Actie.AANMAKEN, object_type="proactief_besluit", object_id=besluit.pk,
                huishouden_id=kandidaat.huishouden_id, doel=DOEL,
                details={"regeling": kandidaat.regeling, "soort": soort, "kandidaat": kandidaat.pk},
            )
    except IntegrityError:
        raise ValidationError(_("Deze regeling is al toegekend aan dit huishouden, of er is al over besloten.")) from None
    return besluit


def afmelding_vastleggen(*, actor, huishouden_id: int, regeling: str = "", via: str) -> Afmelding:
    """Opt-out of proactive approaches (all schemes, or one). Idempotent."""
    if via not in AfmeldingVia.values:
        raise ValidationError(_("Onbekend kanaal voor de afmelding."))
    with transaction.atomic():
        afmelding, nieuw = Afmelding.objects.get_or_create(
            huishouden_id=huishouden_id, regeling=regeling, defaults={"via": via, "vastgelegd_door": actor}
        )
        if nieuw:
            audit_record(
                actor=actor, actie=Actie.AANMAKEN, object_type="proactief_afmelding", object_id=afmelding.pk,
                huishouden_id=huishouden_id, doel=DOEL, details={"regeling": regeling or "alle", "via": via},
            )
    return afmelding


def afmelding_intrekken(*, actor, huishouden_id: int, regeling: str = "") -> None:
    with transaction.atomic():
        for afmelding in Afmelding.objects.filter(huishouden_id=huishouden_id, regeling=regeling):
            audit_record(
                actor=actor, actie=Actie.VERWIJDEREN, object_type="proactief_afmelding", object_id=afmelding.pk,
                huishouden_id=huishouden_id, doel=DOEL, details={"regeling": regeling or "alle"},
            )
            afmelding.delete()
