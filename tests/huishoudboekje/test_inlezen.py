"""bankbestand_inlezen: idempotence, overlap between camt.052 and camt.053, wrong account,
pending entries, batch entries, our own payments and their returns, and resuming an
interrupted import. Files are built with the bank-format tests' small CAMT builders."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from perspectief.audit.models import AuditRegel
from perspectief.huishoudboekje import grootboek, inlezen
from perspectief.huishoudboekje.constants import (
    BestandStatus,
    BetalingSoort,
    BetalingStatus,
    JournaalSoort,
    RekeningSoort,
    Richting,
    TransactieStatus,
)
from perspectief.huishoudboekje.inlezen import bankbestand_inlezen
from perspectief.huishoudboekje.models import (
    Bankbestand,
    Banktransactie,
    Betaling,
    Journaalpost,
    Mutatie,
)
from perspectief.huishoudboekje.tasks import bankbestand_inlezen_task

from ..contrib.bankformaten.builders import camt_document, camt_entry
from .factories import (
    AfspraakFactory,
    BudgetbeheerderFactory,
    DeelnameFactory,
    TussenrekeningFactory,
)

HUUR_IBAN = "NL20INGB0001234567"  # AfspraakFactory's landlord


def entries(n: int, *, start: int = 1) -> list[str]:
    return [
        camt_entry(
            f"{10 + i}.00",
            "CRDT",
            reference=f"REF-{i}",
            end_to_end_id=f"E2E-{i}",
            remittance=f"Gift {i}",
        )
        for i in range(start, start + n)
    ]


def importeer(tussenrekening, data: bytes, naam: str = "afschrift.xml", actor=None) -> Bankbestand:
    return bankbestand_inlezen(
        actor=actor, tussenrekening=tussenrekening, bestandsnaam=naam, inhoud=data
    )


def saldi(tussenrekening) -> tuple[Decimal, Decimal]:
    bank, onverdeeld = grootboek.systeemrekeningen(tussenrekening)
    return bank.tegoed, onverdeeld.tegoed


@pytest.fixture
def tussenrekening(db):
    return TussenrekeningFactory()


def test_same_file_twice_returns_the_first_import_and_books_nothing(tussenrekening):
    data = camt_document(entries(3))
    eerste = importeer(tussenrekening, data, actor=BudgetbeheerderFactory())
    assert (eerste.status, eerste.aantal_boekingen, eerste.nieuw, eerste.al_bekend) == (
        BestandStatus.KLAAR,
        3,
        3,
        0,
    )
    assert eerste.klaar_op is not None
    tweede = importeer(tussenrekening, data, naam="nogmaals.xml")
    assert tweede.pk == eerste.pk
    assert (
        Bankbestand.objects.count(),
        Banktransactie.objects.count(),
        Journaalpost.objects.count(),
    ) == (1, 3, 1)
    assert saldi(tussenrekening) == (Decimal("36.00"), Decimal("36.00"))  # 11 + 12 + 13
    assert AuditRegel.objects.filter(object_type="huishoudboekje.bankbestand").count() == 1
    assert grootboek.controleren() == []


def test_camt052_then_camt053_books_the_overlap_once(tussenrekening):
    intraday = importeer(
        tussenrekening, camt_document(entries(2), message="camt.052", message_id="R1"), "r.xml"
    )
    dag = importeer(tussenrekening, camt_document(entries(3), message_id="S1"), "s.xml")
    assert (intraday.nieuw, intraday.al_bekend) == (2, 0)
    assert (dag.aantal_boekingen, dag.nieuw, dag.al_bekend) == (3, 1, 2)
    assert Banktransactie.objects.count() == 3
    assert saldi(tussenrekening) == (Decimal("36.00"), Decimal("36.00"))
    assert grootboek.controleren() == []


def test_statement_of_another_account_is_refused_and_nothing_stored(tussenrekening):
    bb = importeer(tussenrekening, camt_document(entries(1), account="NL93RABO0987654321"))
    assert (bb.status, bb.weigercode) == (BestandStatus.GEWEIGERD, "ander_rekeningnummer")
    assert "andere bankrekening" in bb.melding
    assert (Banktransactie.objects.count(), Journaalpost.objects.count()) == (0, 0)
    # Refused files do not block: the same bytes give a second refusal record.
    assert (
        importeer(tussenrekening, camt_document(entries(1), account="NL93RABO0987654321")).pk
        != bb.pk
    )


def test_pending_entries_are_not_booked_and_come_in_later_as_booked(tussenrekening):
    pending = camt_entry("40.00", reference="P-1").replace("<Sts>BOOK</Sts>", "<Sts>PDNG</Sts>")
    bb = importeer(tussenrekening, camt_document([*entries(1), pending], message="camt.052"))
    assert (bb.aantal_boekingen, bb.nieuw) == (1, 1)
    assert "1 boekingen zijn nog niet definitief" in bb.melding
    later = importeer(
        tussenrekening, camt_document([*entries(1), camt_entry("40.00", reference="P-1")])
    )
    assert (later.nieuw, later.al_bekend) == (1, 1)
    assert saldi(tussenrekening)[0] == Decimal("51.00")


def test_matched_line_goes_to_the_household_in_the_chunk_journaalpost(tussenrekening):
    afspraak = AfspraakFactory(
        deelname=DeelnameFactory(tussenrekening=tussenrekening), marge_bedrag=Decimal(5)
    )
    huur = camt_entry(
        "650.00", "DBIT", "2026-02-02", iban=HUUR_IBAN, remittance="Huur februari", reference="H-1"
    )
    bb = importeer(tussenrekening, camt_document([huur, *entries(1)]))
    assert (bb.nieuw, bb.automatisch_geboekt) == (2, 1)
    t = Banktransactie.objects.get(kenmerk__isnull=False, richting=Richting.UITGAVE)
    assert (t.status, t.afspraak, t.deelname_id, t.automatisch) == (
        TransactieStatus.GEBOEKT,
        afspraak,
        afspraak.deelname_id,
        True,
    )
    assert {r["code"] for r in t.redenen} == {"iban", "bedrag_precies", "datum"}  # 40 + 30 + 20
    assert t.score == 90
    post = Journaalpost.objects.get()
    assert post.soort == JournaalSoort.AFSCHRIFT and post.bankbestand_id == bb.pk
    regels = sorted(
        (m.rekening.soort, m.bedrag, m.banktransactie_id)
        for m in Mutatie.objects.select_related("rekening")
    )
    assert regels == sorted(
        [
            (RekeningSoort.BANK, Decimal("11.00"), None),  # 5 Jan: the gift
            (RekeningSoort.BANK, Decimal("-650.00"), None),  # 2 Feb: the rent
            (RekeningSoort.ONVERDEELD, Decimal("-11.00"), None),
            (RekeningSoort.HUISHOUDEN, Decimal("650.00"), t.pk),
        ]
    )
    assert grootboek.huishoudrekening(afspraak.deelname).tegoed == Decimal("-650.00")
    assert grootboek.controleren() == []


def _betaling(afspraak, e2e: str, status=BetalingStatus.VERZONDEN, bedrag="650.00") -> Betaling:
    return Betaling.objects.create(
        deelname=afspraak.deelname,
        afspraak=afspraak,
        soort=BetalingSoort.VASTE_LAST,
        termijn=datetime.date(2026, 2, 1),
        uitvoerdatum=datetime.date(2026, 2, 2),
        bedrag=Decimal(bedrag),
        tegenrekening_iban=HUUR_IBAN,
        tegenpartij_naam="Woningstichting",
        end_to_end_id=e2e,
        status=status,
    )


def test_own_payment_is_recognised_by_end_to_end_id_and_booked_once(tussenrekening):
    afspraak = AfspraakFactory(deelname=DeelnameFactory(tussenrekening=tussenrekening))
    betaling = _betaling(afspraak, "HHB-1")
    # Another IBAN and text: only the end-to-end id says it is ours.
    debit = camt_entry(
        "650.00",
        "DBIT",
        "2026-02-02",
        iban="NL91ABNA0417164300",
        end_to_end_id="HHB-1",
        remittance="x",
        reference="B-1",
    )
    bb = importeer(tussenrekening, camt_document([debit]))
    betaling.refresh_from_db()
    t = Banktransactie.objects.get()
    assert (betaling.status, betaling.banktransactie_id) == (BetalingStatus.UITGEVOERD, t.pk)
    assert (t.status, t.afspraak_id, t.redenen, bb.automatisch_geboekt) == (
        TransactieStatus.GEBOEKT,
        afspraak.pk,
        [{"code": "eigen_betaling", "punten": 100}],
        1,
    )
    # The bank reports the same payment debited twice (another reference): left open.
    tweede = camt_entry(
        "650.00",
        "DBIT",
        "2026-02-03",
        iban="NL91ABNA0417164300",
        end_to_end_id="HHB-1",
        remittance="x",
        reference="B-2",
    )
    importeer(tussenrekening, camt_document([tweede], message_id="M2"))
    assert list(Banktransactie.objects.order_by("pk").values_list("status", flat=True)) == [
        TransactieStatus.GEBOEKT,
        TransactieStatus.OPEN,
    ]
    assert grootboek.huishoudrekening(afspraak.deelname).tegoed == Decimal("-650.00")
    assert grootboek.controleren() == []


def test_returned_payment_puts_the_money_back_on_the_household(tussenrekening):
    afspraak = AfspraakFactory(deelname=DeelnameFactory(tussenrekening=tussenrekening))
    betaling = _betaling(afspraak, "HHB-2", status=BetalingStatus.UITGEVOERD)
    retour = camt_entry(
        "650.00", "CRDT", "2026-02-04", iban=HUUR_IBAN, end_to_end_id="HHB-2", reference="R-1"
    ).replace("</TxDtls>", "<RtrInf><Rsn><Cd>AC04</Cd></Rsn></RtrInf></TxDtls>")
    importeer(tussenrekening, camt_document([retour]))
    betaling.refresh_from_db()
    t = Banktransactie.objects.get()
    assert (betaling.status, betaling.statusreden, t.retourcode, t.status) == (
        BetalingStatus.TERUGGEBOEKT,
        "AC04",
        "AC04",
        TransactieStatus.GEBOEKT,
    )
    assert grootboek.huishoudrekening(afspraak.deelname).tegoed == Decimal("650.00")
    assert grootboek.controleren() == []


def test_batch_entry_of_our_payments_is_split_per_household(tussenrekening):
    a1 = AfspraakFactory(deelname=DeelnameFactory(tussenrekening=tussenrekening))
    a2 = AfspraakFactory(
        deelname=DeelnameFactory(tussenrekening=tussenrekening), bedrag=Decimal("400.00")
    )
    b1, b2 = _betaling(a1, "HHB-A"), _betaling(a2, "HHB-B", bedrag="400.00")

    def tx(e2e, bedrag):
        return (
            f"<TxDtls><Refs><EndToEndId>{e2e}</EndToEndId></Refs>"
            f'<AmtDtls><TxAmt><Amt Ccy="EUR">{bedrag}</Amt></TxAmt></AmtDtls>'
            f"<RltdPties><Cdtr><Nm>W</Nm></Cdtr><CdtrAcct><Id><IBAN>{HUUR_IBAN}</IBAN></Id></CdtrAcct></RltdPties>"
            "</TxDtls>"
        )

    batch = (
        '<Ntry><Amt Ccy="EUR">1050.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>'
        "<BookgDt><Dt>2026-02-02</Dt></BookgDt><AcctSvcrRef>BATCH-1</AcctSvcrRef>"
        f"<NtryDtls>{tx('HHB-A', '650.00')}{tx('HHB-B', '400.00')}</NtryDtls></Ntry>"
    )
    bb = importeer(tussenrekening, camt_document([batch]))
    assert (bb.aantal_boekingen, bb.automatisch_geboekt) == (2, 2)
    assert sorted(Banktransactie.objects.values_list("deelname_id", "bedrag")) == sorted(
        [(a1.deelname_id, Decimal("650.00")), (a2.deelname_id, Decimal("400.00"))]
    )
    assert set(Betaling.objects.values_list("status", flat=True)) == {BetalingStatus.UITGEVOERD}
    assert {b1.pk, b2.pk} == set(
        Betaling.objects.filter(banktransactie__isnull=False).values_list("pk", flat=True)
    )
    assert saldi(tussenrekening) == (Decimal("-1050.00"), Decimal("0.00"))
    assert grootboek.controleren() == []


def test_interrupted_import_books_nothing_and_a_second_run_books_every_line_once(
    tussenrekening, monkeypatch
):
    """One transaction per file: a crash in the second chunk rolls the first one back too;
    the Bankbestand (created before, for the screens) stays BEZIG with zero counts."""
    data = camt_document(entries(7))
    monkeypatch.setattr(inlezen, "CHUNK", 3)
    echt = inlezen._stuk_boeken
    aanroepen = []

    def crash_bij_tweede(*args, **kwargs):
        aanroepen.append(1)
        if len(aanroepen) == 2:
            raise RuntimeError("kill")
        return echt(*args, **kwargs)

    monkeypatch.setattr(inlezen, "_stuk_boeken", crash_bij_tweede)
    with pytest.raises(RuntimeError):
        importeer(tussenrekening, data)
    bb = Bankbestand.objects.get()
    assert (bb.status, bb.nieuw, Banktransactie.objects.count()) == (BestandStatus.BEZIG, 0, 0)
    assert Journaalpost.objects.count() == 0
    monkeypatch.setattr(inlezen, "_stuk_boeken", echt)
    opnieuw = importeer(tussenrekening, data)
    assert opnieuw.pk == bb.pk
    assert (opnieuw.status, opnieuw.aantal_boekingen, opnieuw.nieuw, opnieuw.al_bekend) == (
        BestandStatus.KLAAR,
        7,
        7,
        0,
    )
    assert Banktransactie.objects.count() == 7
    assert saldi(tussenrekening)[0] == sum((Decimal(10 + i) for i in range(1, 8)), Decimal("0.00"))
    assert grootboek.controleren() == []


def test_file_refused_halfway_books_nothing(tussenrekening, monkeypatch):
    """The parse streams into the chunks: entry 7 of 7 has a bad amount, found after two
    chunks of 3 were booked. The import's one transaction rolls back; the file is GEWEIGERD."""
    monkeypatch.setattr(inlezen, "CHUNK", 3)
    regels = entries(7)
    regels[6] = regels[6].replace(">17.00<", ">17,00<")
    assert ">17,00<" in regels[6]
    echt = inlezen._stuk_boeken
    geboekt = []
    monkeypatch.setattr(
        inlezen, "_stuk_boeken", lambda *a, **k: geboekt.append(len(a[3])) or echt(*a, **k)
    )
    bb = importeer(tussenrekening, camt_document(regels))
    assert geboekt == [3, 3]  # booked inside the transaction before the refusal came
    assert (bb.status, bb.weigercode) == (BestandStatus.GEWEIGERD, "ongeldig_bedrag")
    assert "Ntry[7]" in bb.melding
    assert Bankbestand.objects.get().pk == bb.pk
    assert (bb.nieuw, bb.al_bekend, bb.aantal_boekingen) == (0, 0, 0)
    assert Banktransactie.objects.count() == 0
    assert Journaalpost.objects.count() == 0
    assert saldi(tussenrekening) == (Decimal("0.00"), Decimal("0.00"))
    assert AuditRegel.objects.filter(object_type="huishoudboekje.bankbestand").count() == 1
    # The corrected file is read in full.
    goed = importeer(tussenrekening, camt_document(entries(7)))
    assert (goed.status, goed.nieuw) == (BestandStatus.KLAAR, 7)


def test_signals_are_updated_for_the_households_of_the_file(
    tussenrekening, monkeypatch, django_capture_on_commit_callbacks
):
    from perspectief.huishoudboekje import signalen

    huur = AfspraakFactory(
        deelname=DeelnameFactory(tussenrekening=tussenrekening), marge_bedrag=Decimal(5)
    )
    DeelnameFactory(tussenrekening=tussenrekening)  # no line in the file
    aanroepen = []
    monkeypatch.setattr(
        signalen,
        "signalen_bijwerken",
        lambda *, peildatum, deelnames: aanroepen.append(sorted(d.pk for d in deelnames)) or 0,
    )
    regels = [
        camt_entry(
            "650.00",
            "DBIT",
            "2026-02-02",
            iban=HUUR_IBAN,
            remittance="Huur februari",
            reference="H-1",
            end_to_end_id="H-1",
        ),
        *entries(2),
    ]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        bb = importeer(tussenrekening, camt_document(regels))
    assert (bb.status, bb.automatisch_geboekt) == (BestandStatus.KLAAR, 1)
    assert len(callbacks) == 1
    assert aanroepen == [[huur.deelname_id]]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        importeer(tussenrekening, camt_document(regels))  # the same file: nothing new
    assert callbacks == []


def test_management_command_and_task(tussenrekening, tmp_path, capsys):
    pad = tmp_path / "afschrift.xml"
    pad.write_bytes(camt_document(entries(2)))
    call_command("huishoudboekje_inlezen", str(pad), "--iban", "NL36 ABNA 5632 5790 34")
    assert "2 regels, 2 nieuw, 0 al bekend, 0 automatisch geboekt" in capsys.readouterr().out
    pk = bankbestand_inlezen_task.delay(
        tussenrekening_id=tussenrekening.pk, pad=str(pad), bestandsnaam="afschrift.xml"
    ).get()
    assert pk == Bankbestand.objects.get().pk
    pad.write_bytes(b"test")
    with pytest.raises(CommandError, match="onbekend_formaat"):
        call_command("huishoudboekje_inlezen", str(pad), "--iban", tussenrekening.iban)
    with pytest.raises(CommandError, match="geen tussenrekening"):
        call_command("huishoudboekje_inlezen", str(pad), "--iban", "NL93RABO0987654321")


def test_a_chunk_that_hits_the_unique_constraint_is_retried(tussenrekening, monkeypatch):
    """A writer that stored a line between our check and our insert (simulated: the first
    check sees nothing) makes the chunk fail on the unique constraint; the retry books only
    what is new."""
    importeer(tussenrekening, camt_document(entries(2), message="camt.052"), "r.xml")
    echt = inlezen._bekende_kenmerken
    aanroepen = []

    def eerst_blind(*args):
        aanroepen.append(1)
        return {} if len(aanroepen) == 1 else echt(*args)

    monkeypatch.setattr(inlezen, "_bekende_kenmerken", eerst_blind)
    bb = importeer(tussenrekening, camt_document(entries(3)), "s.xml")
    assert len(aanroepen) == 2
    assert (bb.status, bb.nieuw, bb.al_bekend) == (BestandStatus.KLAAR, 1, 2)
    assert Banktransactie.objects.count() == 3
    assert grootboek.controleren() == []
