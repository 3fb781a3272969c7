"""The PostgreSQL import pipeline (a writer thread on its own connection, chunks prepared
by the importing thread) stores exactly what the one-thread import stores: the same lines,
mutations, saldi and payment statuses, including the chunks it hands back to the ordinary
way (a line that names one of our payments). A failing writer stops the import with its
error and rolls the whole file back (one transaction per file), and a second run books
every line once; a file refused halfway books nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import transaction

from perspectief.huishoudboekje import grootboek, inlezen
from perspectief.huishoudboekje.constants import (
    BestandStatus,
    BetalingSoort,
    BetalingStatus,
    Richting,
)
from perspectief.huishoudboekje.inlezen import bankbestand_inlezen
from perspectief.huishoudboekje.models import (
    Bankbestand,
    Banktransactie,
    Betaling,
    Mutatie,
    Rekening,
)

from ..contrib.bankformaten.builders import camt_document, camt_entry
from ..core.required_services import require_postgresql
from .factories import AfspraakFactory, DeelnameFactory, TussenrekeningFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

HUUR_IBAN = "NL20INGB0001234567"  # AfspraakFactory's landlord
IBANS = ("NL36ABNA5632579034", "NL91ABNA0417164300")


def _opzet(iban: str, e2e: str):
    """A tussenrekening with two households (rent each), one of our payments sent."""
    tussenrekening = TussenrekeningFactory(iban=iban)
    huur = [
        AfspraakFactory(
            deelname=DeelnameFactory(tussenrekening=tussenrekening),
            bedrag=Decimal(bedrag),
            marge_bedrag=Decimal(5),
        )
        for bedrag in ("650.00", "720.00")
    ]
    Betaling.objects.create(
        deelname=huur[0].deelname,
        afspraak=huur[0],
        soort=BetalingSoort.VASTE_LAST,
        termijn=datetime.date(2026, 3, 1),
        uitvoerdatum=datetime.date(2026, 3, 2),
        bedrag=Decimal("650.00"),
        tegenrekening_iban=HUUR_IBAN,
        tegenpartij_naam="Woningstichting",
        end_to_end_id=e2e,
        status=BetalingStatus.VERZONDEN,
    )
    return tussenrekening


def _regels(e2e: str) -> list[str]:
    regels = []
    for maand in (1, 2, 3):  # rent of both households: matched by IBAN, amount and date
        for bedrag in ("650.00", "720.00"):
            regels.append(
                camt_entry(
                    bedrag,
                    "DBIT",
                    f"2026-0{maand}-01",
                    iban=HUUR_IBAN,
                    remittance=f"Huur {maand}",
                    reference=f"H-{maand}-{bedrag}",
                    end_to_end_id=f"H{maand}{bedrag}",
                )
            )
    for i in range(7):  # nobody's
        regels.append(
            camt_entry(
                f"{11 + i}.25",
                "CRDT",
                "2026-02-10",
                remittance=f"Gift {i}",
                reference=f"G-{i}",
                end_to_end_id=f"G{i}",
            )
        )
    # Our own payment (another IBAN and text: only the end-to-end id says so).
    regels.append(
        camt_entry(
            "650.00", "DBIT", "2026-03-02", end_to_end_id=e2e, remittance="x", reference="B-1"
        )
    )
    return regels


def _sleutel(t: Banktransactie) -> tuple:
    """A line by what the bank said (the fingerprints differ: other account, other id)."""
    return (t.boekdatum, t.richting, t.bedrag, t.omschrijving)


def _uitkomst(tussenrekening) -> dict:
    """What was stored, without ids that differ between the two tussenrekeningen."""
    regels = sorted(
        (
            t.boekdatum,
            t.richting,
            t.bedrag,
            t.status,
            t.afspraak.bedrag if t.afspraak_id else None,
            t.automatisch,
            t.score,
            str(t.redenen),
        )
        for t in Banktransactie.objects.filter(tussenrekening=tussenrekening).select_related(
            "afspraak"
        )
    )
    mutaties = sorted(
        (
            m.rekening.soort,
            m.bedrag,
            m.datum,
            m.rubriek,
            m.afspraak.bedrag if m.afspraak_id else None,
            _sleutel(m.banktransactie) if m.banktransactie_id else None,
        )
        for m in Mutatie.objects.filter(rekening__gemeente=tussenrekening.gemeente)
        .filter(journaalpost__bankbestand__tussenrekening=tussenrekening)
        .select_related("rekening", "afspraak", "banktransactie")
    )
    saldi = sorted(  # BANK, ONVERDEELD and the households' accounts
        (r.soort, r.saldo) for r in Rekening.objects.filter(tussenrekening=tussenrekening)
    )
    betalingen = sorted(
        (b.status, _sleutel(b.banktransactie) if b.banktransactie_id else None)
        for b in Betaling.objects.filter(deelname__tussenrekening=tussenrekening)
    )
    bestanden = sorted(
        (b.status, b.aantal_boekingen, b.nieuw, b.al_bekend, b.automatisch_geboekt)
        for b in Bankbestand.objects.filter(tussenrekening=tussenrekening)
    )
    return {
        "regels": regels,
        "mutaties": mutaties,
        "saldi": saldi,
        "betalingen": betalingen,
        "bestanden": bestanden,
    }


def _importeer(tussenrekening, inhoud: bytes, naam: str) -> Bankbestand:
    return bankbestand_inlezen(
        actor=None, tussenrekening=tussenrekening, bestandsnaam=naam, inhoud=inhoud
    )


def test_pipeline_stores_what_the_one_thread_import_stores(monkeypatch):
    require_postgresql()
    monkeypatch.setattr(inlezen, "CHUNK", 4)  # 5 chunks; the last one names our payment
    uitkomsten = []
    for iban, pijplijn in zip(IBANS, (False, True), strict=True):
        monkeypatch.setattr(inlezen, "PIJPLIJN", pijplijn)
        e2e = f"HHB-{pijplijn}"
        tussenrekening = _opzet(iban, e2e)
        regels = _regels(e2e)
        # First the first half as an intraday report: those lines are known afterwards.
        _importeer(
            tussenrekening, camt_document(regels[:5], message="camt.052", account=iban), "a.xml"
        )
        bb = _importeer(tussenrekening, camt_document(regels, account=iban), "b.xml")
        assert (bb.status, bb.nieuw, bb.al_bekend) == (BestandStatus.KLAAR, 9, 5)
        uitkomsten.append(_uitkomst(tussenrekening))
    serieel, pijplijn = uitkomsten
    assert pijplijn == serieel
    # The intraday report: its 5 rent lines booked; the statement: 9 new lines, of which
    # the last rent line and our payment booked (the 7 gifts stay open).
    assert serieel["bestanden"] == [
        (BestandStatus.KLAAR, 5, 5, 0, 5),
        (BestandStatus.KLAAR, 14, 9, 5, 2),
    ]
    assert serieel["betalingen"] == [
        (BetalingStatus.UITGEVOERD, (datetime.date(2026, 3, 2), "uitgave", Decimal("650.00"), "x"))
    ]
    assert grootboek.controleren() == []


def test_a_failing_writer_rolls_the_whole_file_back(monkeypatch):
    require_postgresql()
    monkeypatch.setattr(inlezen, "CHUNK", 3)
    tussenrekening = TussenrekeningFactory()
    data = camt_document(
        [
            camt_entry(
                f"{10 + i}.00", "CRDT", reference=f"K{i}", end_to_end_id=f"K{i}", remittance=f"G{i}"
            )
            for i in range(8)
        ]
    )
    echt = inlezen._stuk_snel
    aanroepen = []

    def stopt_bij_tweede(*args, **kwargs):
        aanroepen.append(1)
        if len(aanroepen) == 2:
            raise RuntimeError("schrijver stopt")
        return echt(*args, **kwargs)

    monkeypatch.setattr(inlezen, "_stuk_snel", stopt_bij_tweede)
    with pytest.raises(RuntimeError, match="schrijver stopt"):
        _importeer(tussenrekening, data, "k.xml")
    bb = Bankbestand.objects.get()
    # One transaction per file: the first chunk is rolled back with the second.
    assert (bb.status, bb.nieuw, Banktransactie.objects.count()) == (BestandStatus.BEZIG, 0, 0)
    assert Mutatie.objects.count() == 0
    monkeypatch.setattr(inlezen, "_stuk_snel", echt)
    opnieuw = _importeer(tussenrekening, data, "k.xml")
    assert (opnieuw.pk, opnieuw.status, opnieuw.nieuw, opnieuw.al_bekend) == (
        bb.pk,
        BestandStatus.KLAAR,
        8,
        0,
    )
    assert Banktransactie.objects.count() == 8
    bank, _onverdeeld = grootboek.systeemrekeningen(tussenrekening)
    assert bank.tegoed == sum((Decimal(10 + i) for i in range(8)), Decimal("0.00"))
    assert grootboek.controleren() == []


def test_a_line_stored_after_the_preparation_sends_the_chunk_the_ordinary_way(monkeypatch):
    """Another import stored a line after this import's preparation looked (simulated: the
    first look sees nothing): the copy hits the unique constraint and the writer books the
    chunk the ordinary way, which counts that line as already known."""
    require_postgresql()
    tussenrekening = TussenrekeningFactory()
    regels = [
        camt_entry(
            f"{10 + i}.00", "CRDT", reference=f"U{i}", end_to_end_id=f"U{i}", remittance=f"G{i}"
        )
        for i in range(3)
    ]
    _importeer(tussenrekening, camt_document(regels[:2], message="camt.052"), "r.xml")
    echt = inlezen._bekende_kenmerken
    aanroepen = []

    def eerst_blind(*args):
        aanroepen.append(1)
        return {} if len(aanroepen) == 1 else echt(*args)

    monkeypatch.setattr(inlezen, "_bekende_kenmerken", eerst_blind)
    bb = _importeer(tussenrekening, camt_document(regels), "s.xml")
    assert len(aanroepen) == 2  # the blind preparation, then the writer's check under the lock
    assert (bb.status, bb.nieuw, bb.al_bekend) == (BestandStatus.KLAAR, 1, 2)
    assert Banktransactie.objects.count() == 3
    assert grootboek.controleren() == []


def test_file_refused_halfway_rolls_the_writer_back(monkeypatch):
    """The parse streams into the writer: two chunks are written in the writer's
    transaction before entry 7 turns out to be bad; nothing stays booked."""
    require_postgresql()
    monkeypatch.setattr(inlezen, "CHUNK", 3)
    tussenrekening = TussenrekeningFactory()
    regels = [
        camt_entry(
            f"{10 + i}.00", "CRDT", reference=f"W{i}", end_to_end_id=f"W{i}", remittance=f"G{i}"
        )
        for i in range(7)
    ]
    regels[6] = regels[6].replace(">16.00<", ">16,00<")
    assert ">16,00<" in regels[6]
    echt = inlezen._stuk_snel
    geschreven = []
    monkeypatch.setattr(
        inlezen, "_stuk_snel", lambda *a, **k: geschreven.append(1) or echt(*a, **k)
    )
    bb = _importeer(tussenrekening, camt_document(regels), "w.xml")
    assert len(geschreven) == 2
    assert (bb.status, bb.weigercode, bb.nieuw) == (BestandStatus.GEWEIGERD, "ongeldig_bedrag", 0)
    assert Bankbestand.objects.get().pk == bb.pk
    assert Banktransactie.objects.count() == Mutatie.objects.count() == 0
    assert grootboek.controleren() == []


# Values that COPY's text format must escape (backslash, tab, newline, carriage return,
# and "\N", which unescaped would be NULL), and the two separators the chunk-wide escape
# joins on (a chunk holding one is escaped field by field).
@pytest.mark.parametrize(
    "tekst",
    ["schuin\\streep", "tab\there", "regel\nnieuw\rterug", "\\N", "veld\x1fscheiding\x1erij"],
)
def test_copy_text_stores_every_character_as_given(tekst):
    require_postgresql()
    tussenrekening = TussenrekeningFactory()
    bb = Bankbestand.objects.create(
        tussenrekening=tussenrekening, sha256="0" * 64, bestandsnaam="x.xml"
    )
    lijnen = [
        inlezen._Lijn(
            (
                f"{i:064x}",
                datetime.date(2026, 1, 1),
                None,
                Richting.INKOMEN,
                Decimal("1.00"),
                "",
                f"{tekst} {i}",
                tekst,
                tekst[:35],
                "",
                "",
                False,
            )
        )
        for i in range(3)
    ]
    for lijn, pk in zip(lijnen, inlezen._nieuwe_ids(Banktransactie, 3), strict=True):
        lijn.pk = pk
    with transaction.atomic():
        lijnen_tekst = inlezen._copy_transacties(tussenrekening.pk, bb.pk, lijnen)
        inlezen._kopieren(
            None, tussenrekening, bb, inlezen._CopyGegevens(lijnen_tekst, "", 0, {})
        )
    opgeslagen = Banktransactie.objects.filter(bankbestand=bb).order_by("pk")
    assert [(t.tegenpartij_naam, t.omschrijving, t.betalingskenmerk) for t in opgeslagen] == [
        (f"{tekst} {i}", tekst, tekst[:35]) for i in range(3)
    ]
