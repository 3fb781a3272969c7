"""The double-entry ledger (docs/huishoudboekje.md, "The ledger").

A journaalpost is a list of signed mutations (debit positive, credit negative) that sum to
zero. ``Rekening.saldo`` is the sum of its mutations, kept so in the same transaction as the
booking. Journaalposten and mutaties are append-only (database triggers, migration 0002): a
mistake is corrected with :func:`terugdraaien`, never by changing a row.

Account instances passed in :class:`Regel` are not refreshed after :func:`boeken`; call
``refresh_from_db()`` when you need the new saldo.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Case, DecimalField, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce, Round

from .constants import JournaalSoort, RekeningSoort, Richting, TransactieStatus
from .models import (
    Afspraak,
    Bankbestand,
    Banktransactie,
    Deelname,
    Journaalpost,
    Mutatie,
    Rekening,
    Tussenrekening,
)

CENT = Decimal("0.01")
NUL = Decimal("0.00")
BATCH_SIZE = 2000
# How many rows one saldo UPDATE statement carries on PostgreSQL.
SALDO_BATCH = 5000
# controleren() names at most this many journaalposten/accounts per kind of problem.
MAX_GENOEMD = 20


@dataclass(frozen=True)
class Regel:
    """One line of a booking: ``bedrag`` on ``rekening`` (debit positive, credit negative).
    ``datum`` defaults to the journaalpost's datum."""

    rekening: Rekening
    bedrag: Decimal
    rubriek: str = ""
    afspraak: Afspraak | None = None
    banktransactie: Banktransactie | None = None
    datum: date | None = None


# --- accounts -----------------------------------------------------------------------------


def _get_or_create(lookup: dict[str, Any], defaults: dict[str, Any]) -> Rekening:
    """get_or_create that survives a concurrent creator: the unique constraints on Rekening
    make the loser's INSERT fail, after which the winner's row is read."""
    try:
        return Rekening.objects.get(**lookup)
    except Rekening.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            return Rekening.objects.create(**lookup, **defaults)
    except IntegrityError:
        return Rekening.objects.get(**lookup)


def systeemrekeningen(tussenrekening: Tussenrekening) -> tuple[Rekening, Rekening]:
    """The BANK and ONVERDEELD accounts of a tussenrekening, created when missing."""
    bank = _get_or_create(
        {"tussenrekening": tussenrekening, "soort": RekeningSoort.BANK},
        {"gemeente_id": tussenrekening.gemeente_id, "naam": f"Bankrekening {tussenrekening.iban}"},
    )
    onverdeeld = _get_or_create(
        {"tussenrekening": tussenrekening, "soort": RekeningSoort.ONVERDEELD},
        {"gemeente_id": tussenrekening.gemeente_id, "naam": f"Nog niet verdeeld {tussenrekening.iban}"},
    )
    return bank, onverdeeld


def huishoudrekening(deelname: Deelname) -> Rekening:
    """The HUISHOUDEN account of a deelname (its ``tegoed`` is the household's balance),
    created when missing. It belongs to the gemeente of the tussenrekening, like the
    BANK and ONVERDEELD accounts it is booked against."""
    return _get_or_create(
        {"deelname": deelname},
        {
            "soort": RekeningSoort.HUISHOUDEN,
            "gemeente_id": deelname.tussenrekening.gemeente_id,
            "tussenrekening_id": deelname.tussenrekening_id,
            "naam": f"Huishouden {deelname.huishouden_id}",
        },
    )


def categorierekening(*, gemeente, naam: str) -> Rekening:
    """A CATEGORIE account of the gemeente by name (e.g. "Bankkosten"), created when missing."""
    naam = naam.strip()
    if not naam:
        raise ValueError("Een categorie heeft een naam nodig.")
    return _get_or_create(
        {"gemeente": gemeente, "soort": RekeningSoort.CATEGORIE, "naam": naam},
        {},
    )


# --- booking ------------------------------------------------------------------------------


def _controleer_regels(gemeente_id: int, regels: Sequence[_Spiegel]) -> None:
    totaal = Decimal(0)
    for regel in regels:
        bedrag = regel.bedrag
        if not isinstance(bedrag, Decimal) or not bedrag.is_finite():
            raise ValueError(f"Bedrag {bedrag!r} is geen Decimal.")
        if bedrag != bedrag.quantize(CENT):
            raise ValueError(f"Bedrag {bedrag} heeft meer dan twee decimalen.")
        if regel.rekening.pk is None:
            raise ValueError("Een regel verwijst naar een rekening die nog niet is opgeslagen.")
        if regel.rekening.gemeente_id != gemeente_id:
            raise ValueError(f"Rekening {regel.rekening.pk} hoort bij een andere gemeente.")
        totaal += bedrag
    if totaal != 0:
        raise ValueError(f"De regels tellen op tot {totaal}, niet tot 0.")


def _saldi_bijwerken(deltas: dict[int, Decimal]) -> None:
    """Adds each delta to its account's saldo, once per account, in primary key order (every
    booking locks accounts in the same order, so two bookings cannot deadlock)."""
    items = sorted((pk, delta) for pk, delta in deltas.items() if delta != 0)
    if not items:
        return
    if connection.vendor == "postgresql":
        table = Rekening._meta.db_table
        with connection.cursor() as cursor:
            for start in range(0, len(items), SALDO_BATCH):
                batch = items[start : start + SALDO_BATCH]
                ids = [pk for pk, _ in batch]
                bedragen = [delta for _, delta in batch]
                # Lock in pk order first: UPDATE ... FROM does not promise an order.
                cursor.execute(
                    f"SELECT id FROM {table} WHERE id = ANY(%s) ORDER BY id FOR UPDATE",  # noqa: S608
                    [ids],
                )
                cursor.execute(
                    f"UPDATE {table} AS r SET saldo = r.saldo + v.delta "  # noqa: S608
                    "FROM unnest(%s::bigint[], %s::numeric[]) AS v(id, delta) WHERE r.id = v.id",
                    [ids, bedragen],
                )
                if cursor.rowcount != len(batch):
                    raise ValueError("Een of meer rekeningen bestaan niet.")
        return
    for pk, delta in items:
        if Rekening.objects.filter(pk=pk).update(saldo=F("saldo") + delta) != 1:
            raise ValueError(f"Rekening {pk} bestaat niet.")


# Public for a caller that writes its mutations itself (the import COPYs them on
# PostgreSQL): call it in the same transaction, with the summed amount per account.
saldi_bijwerken = _saldi_bijwerken


@dataclass(frozen=True)
class _Spiegel:
    """A line as _boeken takes it: foreign keys as ids, so terugdraaien can mirror stored
    mutations without loading their afspraak and bank line."""

    rekening: Rekening
    bedrag: Decimal
    rubriek: str
    afspraak_id: int | None
    banktransactie_id: int | None
    datum: date | None = None


def boeken(
    *,
    gemeente,
    soort: JournaalSoort | str,
    datum: date,
    regels: Sequence[Regel],
    omschrijving: str = "",
    door=None,
    bankbestand: Bankbestand | None = None,
    draait_terug: Journaalpost | None = None,
) -> Journaalpost:
    """Books one journaalpost with its mutations and updates the saldo of every account it
    touches, all in one transaction. ``gemeente`` is a Gemeente or its pk.

    Refused with ValueError: no regels, an amount that is not a Decimal with at most two
    decimals, regels that do not sum to zero, an account of another gemeente. Lines of
    0.00 are not stored (an import chunk's aggregated BANK line can net to zero)."""
    gemeente_id = gemeente if isinstance(gemeente, int) else gemeente.pk
    if not regels:
        raise ValueError("Een journaalpost heeft minstens één regel nodig.")
    return _boeken(
        gemeente_id=gemeente_id,
        soort=soort,
        datum=datum,
        regels=[
            _Spiegel(
                rekening=regel.rekening,
                bedrag=regel.bedrag,
                rubriek=regel.rubriek,
                afspraak_id=regel.afspraak.pk if regel.afspraak is not None else None,
                banktransactie_id=regel.banktransactie.pk if regel.banktransactie is not None else None,
                datum=regel.datum,
            )
            for regel in regels
        ],
        omschrijving=omschrijving,
        door=door,
        bankbestand=bankbestand,
        draait_terug=draait_terug,
    )


def _boeken(
    *,
    gemeente_id: int,
    soort: str,
    datum: date,
    regels: list[_Spiegel],
    omschrijving: str,
    door,
    bankbestand: Bankbestand | None,
    draait_terug: Journaalpost | None,
) -> Journaalpost:
    _controleer_regels(gemeente_id, regels)
    with transaction.atomic():
        post = Journaalpost.objects.create(
            gemeente_id=gemeente_id,
            soort=soort,
            datum=datum,
            omschrijving=omschrijving[:200],
            bankbestand=bankbestand,
            draait_terug=draait_terug,
            geboekt_door=door if door is not None and getattr(door, "pk", None) else None,
        )
        deltas: dict[int, Decimal] = defaultdict(Decimal)
        mutaties = []
        for regel in regels:
            if regel.bedrag == 0:
                continue
            deltas[regel.rekening.pk] += regel.bedrag
            mutaties.append(
                Mutatie(
                    journaalpost=post,
                    rekening_id=regel.rekening.pk,
                    bedrag=regel.bedrag,
                    datum=regel.datum or datum,
                    rubriek=regel.rubriek or "",
                    afspraak_id=regel.afspraak_id,
                    banktransactie_id=regel.banktransactie_id,
                )
            )
        Mutatie.objects.bulk_create(mutaties, batch_size=BATCH_SIZE)
        _saldi_bijwerken(deltas)
    return post


def terugdraaien(*, journaalpost: Journaalpost, door, datum: date, omschrijving: str = "") -> Journaalpost:
    """Books the mirror image of ``journaalpost`` (soort ONGEDAAN, ``draait_terug`` set):
    every mutation with the sign turned, on the same account, with the same rubriek,
    afspraak and bank line. The mutations carry ``datum`` (a correction is dated when it is
    made; the month in which the original was shown stays as it was).

    A journaalpost can be reversed once; a reversal itself cannot be reversed (book again
    instead). Both refusals are ValueErrors, also when two reversals race (the one-to-one
    ``draait_terug`` lets only one of them in)."""
    if journaalpost.soort == JournaalSoort.ONGEDAAN:
        raise ValueError("Een terugdraaiing kan zelf niet worden teruggedraaid. Boek opnieuw.")
    if Journaalpost.objects.filter(draait_terug=journaalpost).exists():
        raise ValueError(f"Journaalpost {journaalpost.pk} is al teruggedraaid.")
    mutaties = Mutatie.objects.filter(journaalpost=journaalpost).select_related("rekening").order_by("pk")
    regels = [
        _Spiegel(
            rekening=mutatie.rekening,
            bedrag=-mutatie.bedrag,
            rubriek=mutatie.rubriek,
            afspraak_id=mutatie.afspraak_id,
            banktransactie_id=mutatie.banktransactie_id,
        )
        for mutatie in mutaties
    ]
    try:
        with transaction.atomic():
            return _boeken(
                gemeente_id=journaalpost.gemeente_id,
                soort=JournaalSoort.ONGEDAAN,
                datum=datum,
                regels=regels,
                omschrijving=omschrijving or f"Terugdraaiing van journaalpost {journaalpost.pk}",
                door=door,
                bankbestand=None,
                draait_terug=journaalpost,
            )
    except IntegrityError as error:
        raise ValueError(f"Journaalpost {journaalpost.pk} is al teruggedraaid.") from error


# --- the invariant check ------------------------------------------------------------------


def _centen(som) -> Decimal:
    """A database sum as an exact amount. SQLite adds decimals as floats (a sum of 2.00 and
    -2.01 comes back as -0.00999999999999979); PostgreSQL's numeric is exact already."""
    return NUL if som is None else Decimal(som).quantize(CENT)


def _euro(bedrag: Decimal) -> str:
    return f"{bedrag:.2f}".replace(".", ",")


def _noem(problemen: list[str], regels: list[str], totaal: int, soort: str) -> None:
    problemen.extend(regels[:MAX_GENOEMD])
    if totaal > MAX_GENOEMD:
        problemen.append(f"... en nog {totaal - MAX_GENOEMD} {soort}.")


def controleren(*, gemeente=None) -> list[str]:
    """Checks the ledger's invariants and returns the problems in plain Dutch (empty: the
    ledger is right). Aggregate queries only, so it runs over 100,000s of mutations in
    seconds:

    - every journaalpost sums to zero;
    - every account's saldo equals the sum of its mutations;
    - per tussenrekening, ONVERDEELD.tegoed equals the open incoming bank lines minus the
      open outgoing ones;
    - per tussenrekening, BANK.saldo equals the signed sum of all its bank lines.
    """
    problemen: list[str] = []
    posten = Mutatie.objects.all()
    rekeningen = Rekening.objects.all()
    tussenrekeningen = Tussenrekening.objects.all()
    if gemeente is not None:
        posten = posten.filter(journaalpost__gemeente=gemeente)
        rekeningen = rekeningen.filter(gemeente=gemeente)
        tussenrekeningen = tussenrekeningen.filter(gemeente=gemeente)

    scheef = (
        posten.values("journaalpost_id")
        .annotate(som=Round(Sum("bedrag"), 2))
        .exclude(som=0)
        .order_by("journaalpost_id")
    )
    scheef_aantal = scheef.count()
    _noem(
        problemen,
        [
            f"Journaalpost {rij['journaalpost_id']} telt op tot {_euro(_centen(rij['som']))} in plaats van 0,00."
            for rij in scheef[:MAX_GENOEMD]
        ],
        scheef_aantal,
        "journaalposten die niet op 0 uitkomen",
    )

    # The sums per account come from one GROUP BY over the mutations (not a join from the
    # accounts, which would repeat the saldo per mutation).
    sommen = {
        pk: _centen(som)
        for pk, som in Mutatie.objects.filter(rekening__in=rekeningen)
        .values("rekening_id")
        .annotate(som=Sum("bedrag"))
        .values_list("rekening_id", "som")
        .order_by()
    }
    afwijkend = []
    for pk, naam, saldo in rekeningen.order_by("pk").values_list("pk", "naam", "saldo").iterator(chunk_size=5000):
        som = sommen.get(pk, NUL)
        if saldo != som:
            afwijkend.append(
                f"Rekening {pk} ({naam}) heeft saldo {_euro(saldo)}, "
                f"maar de mutaties tellen op tot {_euro(som)}."
            )
    _noem(problemen, afwijkend, len(afwijkend), "rekeningen met een verkeerd saldo")

    bedrag = DecimalField(max_digits=16, decimal_places=2)
    getekend = Case(
        When(richting=Richting.INKOMEN, then=F("bedrag")),
        default=-F("bedrag"),
        output_field=bedrag,
    )
    per_rekening = {
        rij["tussenrekening_id"]: rij
        for rij in Banktransactie.objects.filter(tussenrekening__in=tussenrekeningen)
        .values("tussenrekening_id")
        .annotate(
            alles=Coalesce(Sum(getekend), Value(NUL), output_field=bedrag),
            open=Coalesce(
                Sum(getekend, filter=Q(status=TransactieStatus.OPEN)), Value(NUL), output_field=bedrag
            ),
        )
        .order_by()
    }
    systeem = {
        (rij["tussenrekening_id"], rij["soort"]): rij["saldo"]
        for rij in Rekening.objects.filter(
            tussenrekening__in=tussenrekeningen, soort__in=[RekeningSoort.BANK, RekeningSoort.ONVERDEELD]
        ).values("tussenrekening_id", "soort", "saldo")
    }
    for tussenrekening in tussenrekeningen.order_by("pk").only("pk", "iban"):
        rij = per_rekening.get(tussenrekening.pk, {})
        alles, open_ = _centen(rij.get("alles")), _centen(rij.get("open"))
        bank = systeem.get((tussenrekening.pk, RekeningSoort.BANK), NUL)
        onverdeeld_tegoed = -systeem.get((tussenrekening.pk, RekeningSoort.ONVERDEELD), NUL)
        if bank != alles:
            problemen.append(
                f"Bankrekening {tussenrekening.iban}: het grootboek zegt {_euro(bank)}, "
                f"de banktransacties tellen op tot {_euro(alles)}."
            )
        if onverdeeld_tegoed != open_:
            problemen.append(
                f"Nog niet verdeeld bij {tussenrekening.iban}: het grootboek zegt {_euro(onverdeeld_tegoed)}, "
                f"de open banktransacties tellen op tot {_euro(open_)}."
            )
    return problemen
