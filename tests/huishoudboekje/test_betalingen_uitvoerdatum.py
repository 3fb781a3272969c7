"""Execution dates in a payment file: every payment keeps its own day (one pain.001
payment block per date), and a payment whose day has passed when the batch is approved
goes on the first bank day from that day, never later than needed and never in the past.

Calendar (TARGET2, see test_betalingen.py): Monday 23 November 2026 is 'today';
Saturday 28 November is no bank day, so energy due that day goes on Friday 27."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone
from lxml import etree

from perspectief.contrib.bankformaten import read_credit_transfer
from perspectief.huishoudboekje import betalingen
from perspectief.huishoudboekje.betalingen import (
    batch_afkeuren,
    batch_goedkeuren,
    batch_voorbereiden,
    betalingen_plannen,
    uitvoerdatum_in_bestand,
)
from perspectief.huishoudboekje.constants import BetalingStatus
from perspectief.huishoudboekje.models import Betaling

from .factories import BudgetbeheerderFactory
from .test_betalingen import deelname, geen_leefgeld, plan_twee_maanden, rekening  # noqa: F401  (fixtures)
from .test_betalingen_hulp import VANDAAG, vast_vandaag  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def _blokken(inhoud: bytes) -> list[tuple[str, int]]:
    """(requested execution date, number of payments) per PmtInf block of a pain.001."""
    root = etree.fromstring(inhoud)
    uit = []
    for blok in root.xpath("//*[local-name()='PmtInf']"):
        datum = "".join(blok.xpath("./*[local-name()='ReqdExctnDt']")[0].itertext()).strip()
        uit.append((datum, len(blok.xpath("./*[local-name()='CdtTrfTxInf']"))))
    return uit


def _vandaag_is(monkeypatch, dag: date) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: dag)


def _per_omschrijving(batch) -> dict[str, tuple[date, date]]:
    return {
        b.omschrijving: (b.termijn, b.uitvoerdatum) for b in Betaling.objects.filter(batch=batch).order_by("pk")
    }


@pytest.mark.parametrize(
    ("uitvoerdatum", "vandaag", "verwacht"),
    [
        (date(2026, 12, 1), date(2026, 11, 23), date(2026, 12, 1)),  # ahead: its own day
        (date(2026, 11, 23), date(2026, 11, 23), date(2026, 11, 23)),  # today is a bank day: today
        (date(2026, 11, 27), date(2026, 11, 28), date(2026, 11, 30)),  # passed, approved on Saturday: Monday
        (date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 28)),  # passed, approved at Christmas
        (date(2026, 11, 27), date(2026, 12, 2), date(2026, 12, 2)),  # passed, approved on a Wednesday
    ],
)
def test_the_date_in_the_file(uitvoerdatum, vandaag, verwacht):
    assert uitvoerdatum_in_bestand(uitvoerdatum, vandaag=vandaag) == verwacht


@pytest.mark.parametrize("versie", ["pain.001.001.09", "pain.001.001.03"])
def test_every_payment_keeps_its_own_day_in_the_file(deelname, geen_leefgeld, vast_vandaag, versie):  # noqa: F811
    assert plan_twee_maanden(deelname) == 4
    batch = batch_voorbereiden(actor=BudgetbeheerderFactory(), tussenrekening=deelname.tussenrekening,
                               uitvoerdatum=date(2027, 1, 4), pain_versie=versie)
    assert batch.aantal == 4
    batch = batch_goedkeuren(actor=BudgetbeheerderFactory(), batch=batch)
    inhoud = bytes(batch.bestand)
    # Energy 28 Nov (Saturday) on Friday 27, rent 1 Dec, energy 28 Dec, rent 1 Jan (New
    # Year's Day) on 31 Dec: four days, four blocks, in date order; none on 4 January.
    assert _blokken(inhoud) == [("2026-11-27", 1), ("2026-12-01", 1), ("2026-12-28", 1), ("2026-12-31", 1)]
    gelezen = read_credit_transfer(inhoud)
    assert {p.end_to_end_id: p.requested_execution_date for p in gelezen.payments} == dict(
        Betaling.objects.filter(batch=batch).values_list("end_to_end_id", "uitvoerdatum")
    )
    assert set(Betaling.objects.filter(batch=batch).values_list("status", flat=True)) == {BetalingStatus.VERZONDEN}


def test_a_payment_whose_day_passed_before_approval_goes_on_the_first_bank_day(deelname, geen_leefgeld, vast_vandaag,  # noqa: F811
                                                                               monkeypatch):
    plan_twee_maanden(deelname)
    batch = batch_voorbereiden(actor=BudgetbeheerderFactory(), tussenrekening=deelname.tussenrekening,
                               uitvoerdatum=date(2026, 12, 1))
    # Prepared on Monday 23 November, approved on Saturday 28: energy's Friday has passed.
    _vandaag_is(monkeypatch, date(2026, 11, 28))
    batch = batch_goedkeuren(actor=BudgetbeheerderFactory(), batch=batch)
    assert _blokken(bytes(batch.bestand)) == [("2026-11-30", 1), ("2026-12-01", 1)]
    # The stored date is the date in the file; the term stays what it was.
    assert _per_omschrijving(batch) == {
        "Energie": (date(2026, 11, 28), date(2026, 11, 30)),
        "Huur": (date(2026, 12, 1), date(2026, 12, 1)),
    }


def test_a_batch_approved_after_its_date_sends_everything_on_the_first_bank_day(deelname, geen_leefgeld,  # noqa: F811
                                                                                vast_vandaag, monkeypatch):
    plan_twee_maanden(deelname)
    batch = batch_voorbereiden(actor=BudgetbeheerderFactory(), tussenrekening=deelname.tussenrekening,
                               uitvoerdatum=date(2026, 12, 1))
    _vandaag_is(monkeypatch, date(2026, 12, 2))
    batch = batch_goedkeuren(actor=BudgetbeheerderFactory(), batch=batch)
    assert _blokken(bytes(batch.bestand)) == [("2026-12-02", 2)]
    assert {uitvoer for _termijn, uitvoer in _per_omschrijving(batch).values()} == {date(2026, 12, 2)}


def test_a_refused_batch_gives_the_payments_back_with_their_own_days(deelname, geen_leefgeld, vast_vandaag):  # noqa: F811
    plan_twee_maanden(deelname)
    voor = dict(Betaling.objects.values_list("pk", "uitvoerdatum"))
    batch = batch_voorbereiden(actor=BudgetbeheerderFactory(), tussenrekening=deelname.tussenrekening,
                               uitvoerdatum=date(2026, 12, 1))
    batch_afkeuren(actor=BudgetbeheerderFactory(), batch=batch, reden="Bedrag klopt niet")
    assert dict(Betaling.objects.values_list("pk", "uitvoerdatum")) == voor


def test_a_batch_date_in_the_past_is_refused_in_plain_dutch(deelname, geen_leefgeld, vast_vandaag):  # noqa: F811
    from django.core.exceptions import ValidationError

    plan_twee_maanden(deelname)
    with pytest.raises(ValidationError) as fout:
        batch_voorbereiden(actor=BudgetbeheerderFactory(), tussenrekening=deelname.tussenrekening,
                           uitvoerdatum=date(2026, 11, 20))
    assert fout.value.code == "verleden"
    assert fout.value.messages == ["De uitvoerdatum ligt in het verleden. Kies vandaag of later."]
    assert Betaling.objects.filter(status=BetalingStatus.GEPLAND, batch=None).count() == 4


def test_the_screens_show_the_day_the_bank_will_pay_a_late_payment(vast_vandaag, monkeypatch, client):  # noqa: F811
    from django.urls import reverse

    from ..conftest import login_verified
    from ..factories import GemeenteFactory, HuishoudenFactory, TeamFactory
    from .factories import DeelnameFactory, TussenrekeningFactory
    from .test_betalingen import huur, met_tegoed

    gemeente = GemeenteFactory()
    team = TeamFactory(gemeente=gemeente)
    voorbereider = BudgetbeheerderFactory(gemeente=gemeente, teams=[team])
    goedkeurder = BudgetbeheerderFactory(gemeente=gemeente, teams=[team])
    deelname = met_tegoed(DeelnameFactory(
        huishouden=HuishoudenFactory(gemeente=gemeente, team=team), budgetbeheerder=voorbereider,
        tussenrekening=TussenrekeningFactory(gemeente=gemeente),
    ))
    huur(deelname, dag=27)  # Friday 27 November
    huur(deelname, dag=1, omschrijving="Energie")  # Tuesday 1 December
    monkeypatch.setattr(betalingen, "_leefgeld_bedragen", lambda *, deelnames, peildatum: {})  # no leefgeld

    assert betalingen_plannen(tussenrekening=deelname.tussenrekening, peildatum=VANDAAG, tot=date(2026, 12, 1)) == 2
    batch = batch_voorbereiden(actor=voorbereider, tussenrekening=deelname.tussenrekening,
                               uitvoerdatum=date(2026, 12, 1))
    login_verified(client, goedkeurder)
    _vandaag_is(monkeypatch, date(2026, 11, 28))  # Saturday: the 27th has passed
    pagina = client.get(reverse("huishoudboekje:batch", kwargs={"batch_uuid": batch.uuid}))
    assert pagina.status_code == 200
    assert [(b.uitvoerdatum, b.gaat_op) for b in pagina.context["page"].object_list] == [
        (date(2026, 11, 27), date(2026, 11, 30)),
        (date(2026, 12, 1), None),
    ]
    assert pagina.content.decode().count("Deze dag is voorbij. De bank betaalt op") == 1
    assert "Betaalbestand tot en met" in pagina.content.decode()
    # The payments list says the same.
    lijst = client.get(reverse("huishoudboekje:betalingen"))
    assert [(b.uitvoerdatum, b.gaat_op) for b in lijst.context["page"].object_list] == [
        (date(2026, 11, 27), date(2026, 11, 30)),
        (date(2026, 12, 1), None),
    ]

