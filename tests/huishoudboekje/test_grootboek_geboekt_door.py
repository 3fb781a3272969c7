"""A user who booked anything in the ledger cannot be deleted (Journaalpost.geboekt_door is
PROTECT, migration 0003): the ledger is append-only, so the UPDATE that SET_NULL would
run was refused by the database. Such an account is deactivated instead."""

from decimal import Decimal

import pytest
from django.db.models import ProtectedError

from perspectief.huishoudboekje.constants import JournaalSoort
from perspectief.huishoudboekje.grootboek import Regel, boeken, categorierekening, controleren, huishoudrekening
from perspectief.huishoudboekje.models import Journaalpost, Mutatie

from .factories import BudgetbeheerderFactory, DeelnameFactory

pytestmark = pytest.mark.django_db


def test_deleting_a_user_who_booked_is_refused_and_the_ledger_stays_intact():
    deelname = DeelnameFactory()
    medewerker = BudgetbeheerderFactory()  # not the deelname's budgetbeheerder: only the booking holds on
    # A manual correction from a category account (a booking against BANK would need a bank line).
    correctie = categorierekening(gemeente=deelname.tussenrekening.gemeente, naam="Correcties")
    post = boeken(
        gemeente=deelname.tussenrekening.gemeente,
        soort=JournaalSoort.HANDMATIG,
        datum=deelname.startdatum,
        regels=[
            Regel(rekening=correctie, bedrag=Decimal("25.00")),
            Regel(rekening=huishoudrekening(deelname), bedrag=Decimal("-25.00")),
        ],
        door=medewerker,
    )
    assert post.geboekt_door_id == medewerker.pk

    with pytest.raises(ProtectedError) as fout:
        medewerker.delete()
    assert set(fout.value.protected_objects) == {post}

    post.refresh_from_db()
    assert post.geboekt_door_id == medewerker.pk
    assert (Journaalpost.objects.count(), Mutatie.objects.count()) == (1, 2)
    assert controleren() == []
    # What to do instead: deactivate the account.
    medewerker.is_active = False
    medewerker.save(update_fields=["is_active"])
    post.refresh_from_db()
    assert post.geboekt_door_id == medewerker.pk


def test_a_user_who_booked_nothing_can_still_be_deleted():
    BudgetbeheerderFactory().delete()
