"""The demo huishoudboekje: participations of both budgetbeheerders' teams and of the demo
resident, statements imported through the real import, signals, a batch waiting for the
second pair of eyes; and the demo can be made again (its append-only ledger included)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction

from perspectief.demo import constants as c
from perspectief.demo import huishoudboekje as demo
from perspectief.demo.services import demo_gemeente_genereren
from perspectief.huishoudboekje import grootboek, policies
from perspectief.huishoudboekje.constants import BatchStatus, BestandStatus, SignaalSoort, TransactieStatus
from perspectief.huishoudboekje.models import (
    Bankbestand,
    Banktransactie,
    Betaalbatch,
    Deelname,
    Journaalpost,
    Signaal,
    Tussenrekening,
)
from perspectief.toegang.models import Gebruiker

pytestmark = pytest.mark.django_db


@pytest.fixture
def gemaakt():
    resultaat = demo_gemeente_genereren(huishoudens=200)
    return resultaat, demo.maken(gemeente_id=resultaat.gemeente_id)


def test_participations_of_both_teams_and_the_resident(gemaakt):
    _, uitkomst = gemaakt
    assert uitkomst["deelnames"] == demo.DEELNAMES_MIDDEN + demo.DEELNAMES_NOORD == Deelname.objects.count()
    rekening = Tussenrekening.objects.get()
    assert rekening.iban == "NL36ABNA5632579034"
    eerste = Gebruiker.objects.get(username=demo.BUDGETBEHEERDER)
    tweede = Gebruiker.objects.get(username=demo.BUDGETBEHEERDER2)
    assert policies.deelnames_visible_to(eerste).count() == demo.DEELNAMES_MIDDEN
    assert policies.deelnames_visible_to(tweede).count() == demo.DEELNAMES_NOORD
    inwoner = Gebruiker.objects.get(username=c.INWONER_USERNAME)
    deelname = policies.deelname_of_resident(inwoner)
    assert deelname is not None and policies.can_view_deelname(tweede, deelname)
    assert {a.omschrijving for a in deelname.afspraken.all()} == {
        "Bijstand", "Huurtoeslag", "Zorgtoeslag", "Huur", "Voorschot gas en stroom", "Water", "Premie zorgverzekering"}


def test_statements_went_through_the_import_and_the_ledger_balances(gemaakt):
    _, uitkomst = gemaakt
    assert set(Bankbestand.objects.values_list("status", flat=True)) == {BestandStatus.KLAAR}
    assert Banktransactie.objects.count() == uitkomst["banktransacties"]
    # Left for people: the bank's monthly costs, an extra payment without the client number,
    # an unknown transfer. Everything else is booked by the import.
    open_regels = Banktransactie.objects.filter(status=TransactieStatus.OPEN)
    omschrijvingen = sorted(set(open_regels.values_list("omschrijving", flat=True)))
    assert omschrijvingen == ["Kosten betalingsverkeer", "Nabetaling vakantiegeld", "Terug van uitje"]
    assert grootboek.controleren() == []
    assert {s.soort for s in Signaal.objects.all()} == {SignaalSoort.GEEN_INKOMEN, SignaalSoort.AFWIJKEND_BEDRAG}


def test_a_batch_waits_for_the_second_budgetbeheerder(gemaakt):
    batch = Betaalbatch.objects.get()
    assert batch.status == BatchStatus.VOORBEREID
    assert batch.voorbereid_door.username == demo.BUDGETBEHEERDER
    assert policies.can_approve_batch(Gebruiker.objects.get(username=demo.BUDGETBEHEERDER2), batch)
    assert not policies.can_approve_batch(batch.voorbereid_door, batch)


def test_the_demo_can_be_made_again_and_the_ledger_stays_append_only(gemaakt):
    resultaat, eerste = gemaakt
    opnieuw = demo_gemeente_genereren(huishoudens=200)  # the household reset removes the huishoudboekje first
    assert opnieuw.verwijderd == 200
    assert (Deelname.objects.count(), Journaalpost.objects.count(), Tussenrekening.objects.count()) == (0, 0, 0)
    tweede = demo.maken(gemeente_id=opnieuw.gemeente_id)
    assert tweede == eerste
    post = Journaalpost.objects.first()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Journaalpost.objects.filter(pk=post.pk).update(omschrijving="gewijzigd")


def test_the_second_budgetbeheerder_is_a_demo_login():
    assert ("budgetbeheerder", "demo.budgetbeheerder2") in {(str(rol), naam) for rol, naam, *_ in c.MEDEWERKERS}
