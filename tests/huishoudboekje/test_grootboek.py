"""The double-entry ledger: bookings, refusals, reversal, the invariant check and the
append-only triggers (docs/huishoudboekje.md, "The ledger")."""

import datetime
import itertools
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from perspectief.huishoudboekje.constants import JournaalSoort, RekeningSoort, Richting, Rubriek, TransactieStatus
from perspectief.huishoudboekje.grootboek import (
    Regel,
    boeken,
    categorierekening,
    controleren,
    huishoudrekening,
    systeemrekeningen,
    terugdraaien,
)
from perspectief.huishoudboekje.models import Bankbestand, Banktransactie, Journaalpost, Mutatie, Rekening

from ..factories import GemeenteFactory
from .factories import AfspraakFactory, BudgetbeheerderFactory, DeelnameFactory

pytestmark = pytest.mark.django_db

DAG = datetime.date(2026, 3, 2)
_kenmerken = itertools.count(1)


def _saldo(rekening: Rekening) -> Decimal:
    rekening.refresh_from_db()
    return rekening.saldo


def _banktransactie(tussenrekening, *, richting, bedrag, status=TransactieStatus.OPEN, **velden):
    bestand, _ = Bankbestand.objects.get_or_create(
        tussenrekening=tussenrekening, sha256="a" * 64, defaults={"bestandsnaam": "test.xml"}
    )
    return Banktransactie.objects.create(
        tussenrekening=tussenrekening,
        bankbestand=bestand,
        kenmerk=f"k{next(_kenmerken)}",
        boekdatum=DAG,
        richting=richting,
        bedrag=Decimal(bedrag),
        status=status,
        **velden,
    )


@pytest.fixture
def deelname():
    return DeelnameFactory()


@pytest.fixture
def rekeningen(deelname):
    bank, onverdeeld = systeemrekeningen(deelname.tussenrekening)
    return bank, onverdeeld, huishoudrekening(deelname)


def test_system_accounts_are_created_once(deelname):
    bank, onverdeeld = systeemrekeningen(deelname.tussenrekening)
    assert (bank.soort, onverdeeld.soort) == (RekeningSoort.BANK, RekeningSoort.ONVERDEELD)
    assert systeemrekeningen(deelname.tussenrekening) == (bank, onverdeeld)
    huishouden = huishoudrekening(deelname)
    assert huishouden.soort == RekeningSoort.HUISHOUDEN
    assert huishouden.gemeente_id == deelname.tussenrekening.gemeente_id
    assert huishoudrekening(deelname) == huishouden
    kosten = categorierekening(gemeente=deelname.tussenrekening.gemeente, naam=" Bankkosten ")
    assert kosten.naam == "Bankkosten"
    assert categorierekening(gemeente=deelname.tussenrekening.gemeente, naam="Bankkosten") == kosten
    assert Rekening.objects.count() == 4


def test_income_matched_to_a_household_gives_exact_balances(deelname, rekeningen):
    bank, onverdeeld, huishouden = rekeningen
    afspraak = AfspraakFactory(deelname=deelname, richting=Richting.INKOMEN, rubriek=Rubriek.UITKERING)
    lijn = _banktransactie(deelname.tussenrekening, richting=Richting.INKOMEN, bedrag="1234.56", status="geboekt")
    door = BudgetbeheerderFactory()
    post = boeken(
        gemeente=deelname.tussenrekening.gemeente,
        soort=JournaalSoort.AFSCHRIFT,
        datum=DAG,
        door=door,
        regels=[
            Regel(rekening=bank, bedrag=Decimal("1234.56")),
            Regel(
                rekening=huishouden,
                bedrag=Decimal("-1234.56"),
                rubriek=Rubriek.UITKERING,
                afspraak=afspraak,
                banktransactie=lijn,
                datum=datetime.date(2026, 2, 27),
            ),
        ],
    )
    assert (_saldo(bank), _saldo(onverdeeld), _saldo(huishouden)) == (Decimal("1234.56"), 0, Decimal("-1234.56"))
    assert huishouden.tegoed == Decimal("1234.56")
    assert bank.tegoed == Decimal("1234.56")
    assert post.geboekt_door == door
    mutatie = Mutatie.objects.get(rekening=huishouden)
    assert (mutatie.datum, mutatie.rubriek, mutatie.afspraak, mutatie.banktransactie) == (
        datetime.date(2026, 2, 27),
        Rubriek.UITKERING,
        afspraak,
        lijn,
    )
    assert Mutatie.objects.get(rekening=bank).datum == DAG
    assert controleren() == []


def test_lines_on_the_same_account_update_its_saldo_by_their_sum(deelname, rekeningen):
    bank, onverdeeld, huishouden = rekeningen
    gemeente = deelname.tussenrekening.gemeente
    boeken(
        gemeente=gemeente,
        soort=JournaalSoort.AFSCHRIFT,
        datum=DAG,
        regels=[
            Regel(rekening=bank, bedrag=Decimal("100.00")),
            Regel(rekening=bank, bedrag=Decimal("-30.25")),
            Regel(rekening=onverdeeld, bedrag=Decimal("-100.00")),
            Regel(rekening=onverdeeld, bedrag=Decimal("30.25")),
            Regel(rekening=huishouden, bedrag=Decimal("0.00")),
        ],
    )
    assert (_saldo(bank), _saldo(onverdeeld), _saldo(huishouden)) == (Decimal("69.75"), Decimal("-69.75"), 0)
    # The zero line is not stored.
    assert Mutatie.objects.count() == 4


@pytest.mark.parametrize(
    "bedragen, melding",
    [
        ([], "minstens één regel"),
        ([Decimal("10.00"), Decimal("-9.99")], "niet tot 0"),
        ([Decimal("10.001"), Decimal("-10.001")], "meer dan twee decimalen"),
        ([10.0, -10.0], "geen Decimal"),
        ([Decimal("NaN"), Decimal("NaN")], "geen Decimal"),
    ],
)
def test_refusals_book_nothing(deelname, rekeningen, bedragen, melding):
    bank, onverdeeld, _ = rekeningen
    regels = [Regel(rekening=rekening, bedrag=bedrag) for rekening, bedrag in zip((bank, onverdeeld), bedragen)]
    with pytest.raises(ValueError, match=melding):
        boeken(gemeente=deelname.tussenrekening.gemeente, soort=JournaalSoort.HANDMATIG, datum=DAG, regels=regels)
    assert Journaalpost.objects.count() == 0
    assert (_saldo(bank), _saldo(onverdeeld)) == (0, 0)


def test_an_account_of_another_gemeente_is_refused(deelname, rekeningen):
    bank, _, _ = rekeningen
    andere_gemeente = GemeenteFactory(naam="Elders", cbs_code="GM9998", slug="elders")
    ander = categorierekening(gemeente=andere_gemeente, naam="Bankkosten")
    assert ander.gemeente_id != bank.gemeente_id
    with pytest.raises(ValueError, match="andere gemeente"):
        boeken(
            gemeente=deelname.tussenrekening.gemeente,
            soort=JournaalSoort.CATEGORIE,
            datum=DAG,
            regels=[Regel(rekening=bank, bedrag=Decimal("1.00")), Regel(rekening=ander, bedrag=Decimal("-1.00"))],
        )
    assert Journaalpost.objects.count() == 0


def test_reversal_mirrors_the_booking_and_cannot_be_repeated(deelname, rekeningen):
    bank, onverdeeld, huishouden = rekeningen
    afspraak = AfspraakFactory(deelname=deelname)
    lijn = _banktransactie(deelname.tussenrekening, richting=Richting.UITGAVE, bedrag="650.00")
    gemeente = deelname.tussenrekening.gemeente
    boeken(
        gemeente=gemeente,
        soort=JournaalSoort.AFSCHRIFT,
        datum=DAG,
        regels=[Regel(rekening=bank, bedrag=Decimal("-650.00")), Regel(rekening=onverdeeld, bedrag=Decimal("650.00"))],
    )
    match = boeken(
        gemeente=gemeente,
        soort=JournaalSoort.MATCH,
        datum=DAG,
        regels=[
            Regel(rekening=onverdeeld, bedrag=Decimal("-650.00"), banktransactie=lijn),
            Regel(rekening=huishouden, bedrag=Decimal("650.00"), rubriek=Rubriek.HUUR, afspraak=afspraak, banktransactie=lijn),
        ],
    )
    assert (_saldo(onverdeeld), _saldo(huishouden)) == (0, Decimal("650.00"))
    door = BudgetbeheerderFactory()
    later = datetime.date(2026, 3, 5)
    terug = terugdraaien(journaalpost=match, door=door, datum=later)
    assert (terug.soort, terug.draait_terug, terug.geboekt_door, terug.datum) == (
        JournaalSoort.ONGEDAAN,
        match,
        door,
        later,
    )
    assert (_saldo(bank), _saldo(onverdeeld), _saldo(huishouden)) == (Decimal("-650.00"), Decimal("650.00"), 0)
    gespiegeld = list(terug.mutaties.order_by("pk").values_list("rekening", "bedrag", "rubriek", "afspraak", "banktransactie", "datum"))
    assert gespiegeld == [
        (onverdeeld.pk, Decimal("650.00"), "", None, lijn.pk, later),
        (huishouden.pk, Decimal("-650.00"), Rubriek.HUUR, afspraak.pk, lijn.pk, later),
    ]
    with pytest.raises(ValueError, match="al teruggedraaid"):
        terugdraaien(journaalpost=match, door=door, datum=later)
    with pytest.raises(ValueError, match="zelf niet worden teruggedraaid"):
        terugdraaien(journaalpost=terug, door=door, datum=later)
    assert Journaalpost.objects.count() == 3
    # The bank line is open again (the matching service sets that); with it open, the check agrees.
    assert controleren() == []


def test_the_one_to_one_refuses_a_second_reversal_that_skips_the_check(deelname, rekeningen):
    """Two reversals racing both pass the exists() check; the OneToOne stops the second."""
    bank, onverdeeld, _ = rekeningen
    gemeente = deelname.tussenrekening.gemeente
    post = boeken(
        gemeente=gemeente,
        soort=JournaalSoort.HANDMATIG,
        datum=DAG,
        regels=[Regel(rekening=bank, bedrag=Decimal("5.00")), Regel(rekening=onverdeeld, bedrag=Decimal("-5.00"))],
    )
    terugdraaien(journaalpost=post, door=None, datum=DAG)
    from unittest import mock

    with mock.patch("perspectief.huishoudboekje.grootboek.Journaalpost.objects.filter") as gefilterd:
        gefilterd.return_value.exists.return_value = False
        with pytest.raises(ValueError, match="al teruggedraaid"):
            terugdraaien(journaalpost=post, door=None, datum=DAG)
    assert (_saldo(bank), _saldo(onverdeeld)) == (0, 0)


def test_check_reports_each_broken_invariant_in_dutch(deelname, rekeningen):
    bank, onverdeeld, huishouden = rekeningen
    tussenrekening = deelname.tussenrekening
    _banktransactie(tussenrekening, richting=Richting.INKOMEN, bedrag="100.00")
    boeken(
        gemeente=tussenrekening.gemeente,
        soort=JournaalSoort.AFSCHRIFT,
        datum=DAG,
        regels=[Regel(rekening=bank, bedrag=Decimal("100.00")), Regel(rekening=onverdeeld, bedrag=Decimal("-100.00"))],
    )
    assert controleren() == []
    # A saldo changed behind the ledger's back (saldo updates are allowed, mutations are not).
    Rekening.objects.filter(pk=huishouden.pk).update(saldo=Decimal("-3.00"))
    # A bank line that was never booked.
    _banktransactie(tussenrekening, richting=Richting.UITGAVE, bedrag="40.00")
    iban = tussenrekening.iban
    assert controleren() == [
        f"Rekening {huishouden.pk} ({huishouden.naam}) heeft saldo -3,00, maar de mutaties tellen op tot 0,00.",
        f"Bankrekening {iban}: het grootboek zegt 100,00, de banktransacties tellen op tot 60,00.",
        f"Nog niet verdeeld bij {iban}: het grootboek zegt 100,00, de open banktransacties tellen op tot 60,00.",
    ]
    assert controleren(gemeente=tussenrekening.gemeente) == controleren()


def test_check_finds_an_unbalanced_journaalpost(deelname, rekeningen):
    bank, _, _ = rekeningen
    post = Journaalpost.objects.create(gemeente=deelname.tussenrekening.gemeente, soort=JournaalSoort.HANDMATIG, datum=DAG)
    Mutatie.objects.create(journaalpost=post, rekening=bank, bedrag=Decimal("0.01"), datum=DAG)
    Rekening.objects.filter(pk=bank.pk).update(saldo=Decimal("0.01"))
    problemen = controleren()
    assert problemen[0] == f"Journaalpost {post.pk} telt op tot 0,01 in plaats van 0,00."
    assert f"Bankrekening {deelname.tussenrekening.iban}: het grootboek zegt 0,01, de banktransacties tellen op tot 0,00." in problemen


def test_management_command(deelname, rekeningen):
    bank, onverdeeld, _ = rekeningen
    boeken(
        gemeente=deelname.tussenrekening.gemeente,
        soort=JournaalSoort.HANDMATIG,
        datum=DAG,
        regels=[Regel(rekening=bank, bedrag=Decimal("0.00")), Regel(rekening=onverdeeld, bedrag=Decimal("0.00"))],
    )
    uit = StringIO()
    call_command("huishoudboekje_controle", stdout=uit)
    assert uit.getvalue() == "Grootboek klopt: 1 journaalposten, 0 mutaties\n"
    Rekening.objects.filter(pk=bank.pk).update(saldo=Decimal("1.00"))
    fout = StringIO()
    with pytest.raises(CommandError, match="Grootboek klopt NIET: 2") as raised:
        call_command("huishoudboekje_controle", stderr=fout)
    assert raised.value.returncode == 1
    assert f"Rekening {bank.pk} " in fout.getvalue()


def _aanvallen():
    return {
        "update journaalpost": lambda: Journaalpost.objects.update(omschrijving="anders"),
        "delete journaalpost": lambda: Journaalpost.objects.all()._raw_delete("default"),
        "update mutatie": lambda: Mutatie.objects.update(bedrag=Decimal("1.00")),
        "delete mutatie": lambda: Mutatie.objects.all()._raw_delete("default"),
    }


@pytest.mark.parametrize("aanval", list(_aanvallen()))
def test_triggers_refuse_update_and_delete(deelname, rekeningen, aanval):
    _, _, huishouden = rekeningen
    kosten = categorierekening(gemeente=deelname.tussenrekening.gemeente, naam="Bankkosten")
    boeken(
        gemeente=deelname.tussenrekening.gemeente,
        soort=JournaalSoort.CATEGORIE,
        datum=DAG,
        omschrijving="origineel",
        regels=[Regel(rekening=kosten, bedrag=Decimal("7.00")), Regel(rekening=huishouden, bedrag=Decimal("-7.00"))],
    )
    voor = (list(Journaalpost.objects.values()), list(Mutatie.objects.values()))
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _aanvallen()[aanval]()
    assert (list(Journaalpost.objects.values()), list(Mutatie.objects.values())) == voor
    assert controleren() == []


@pytest.mark.postgres
@pytest.mark.parametrize("tabel", ["huishoudboekje_journaalpost", "huishoudboekje_mutatie"])
def test_trigger_refuses_truncate_on_postgresql(deelname, tabel):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is a PostgreSQL statement (SQLite has DELETE only, covered above)")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {tabel} CASCADE")
