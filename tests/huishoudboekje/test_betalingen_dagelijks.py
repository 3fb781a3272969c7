"""The daily planning task (tasks.betalingen_dagelijks): every tussenrekening, terms up to
HUISHOUDBOEKJE_PLANNEN_DAGEN days ahead, one audit entry per run, before the signals."""

from __future__ import annotations

from datetime import date

import pytest

from perspectief.audit.models import AuditRegel
from perspectief.huishoudboekje import betalingen
from perspectief.huishoudboekje.constants import BetalingSoort, LeefgeldFrequentie
from perspectief.huishoudboekje.models import Betaling

from .factories import AfspraakFactory, DeelnameFactory, TussenrekeningFactory
from .test_betalingen import met_tegoed

pytestmark = pytest.mark.django_db


@pytest.fixture
def twee_rekeningen():
    """Two accounts, one household each: rent on the 1st and on the 10th, weekly leefgeld
    on Friday, 2,000.00 on the account."""
    uit = []
    for iban, dag in (("NL36ABNA5632579034", 1), ("NL44RABO0123456789", 10)):
        rekening = TussenrekeningFactory(iban=iban)
        deelname = met_tegoed(DeelnameFactory(tussenrekening=rekening, leefgeld_frequentie=LeefgeldFrequentie.WEEK,
                                              leefgeld_dag=4), "2000.00")
        AfspraakFactory(deelname=deelname, organisatie__gemeente=rekening.gemeente, dag=dag)
        uit.append(deelname)
    return uit


def test_plans_every_account_up_to_the_horizon_once(twee_rekeningen, settings):
    from perspectief.huishoudboekje.tasks import betalingen_dagelijks

    settings.HUISHOUDBOEKJE_PLANNEN_DAGEN = 14
    # Monday 23 November + 14 days = 7 December: rent of 1 December and the leefgeld of
    # Friday 27 November for both; the rent of 10 December is beyond the horizon.
    assert betalingen_dagelijks.apply(kwargs={"peildatum": "2026-11-23"}).get() == 3
    assert sorted(Betaling.objects.values_list("deelname_id", "soort", "termijn")) == sorted([
        (twee_rekeningen[0].pk, BetalingSoort.VASTE_LAST, date(2026, 12, 1)),
        (twee_rekeningen[0].pk, BetalingSoort.LEEFGELD, date(2026, 11, 27)),
        (twee_rekeningen[1].pk, BetalingSoort.LEEFGELD, date(2026, 11, 27)),
    ])
    # Again the same day: nothing new. The day after, a longer horizon takes the 10th.
    assert betalingen_dagelijks.apply(kwargs={"peildatum": "2026-11-23"}).get() == 0
    assert betalingen_dagelijks.apply(kwargs={"peildatum": "2026-11-24", "dagen": 16}).get() == 1
    regels = AuditRegel.objects.filter(object_type="betalingen_plannen").order_by("volgnummer")
    assert [(r.actie, r.actor_id, r.huishouden_id, r.details) for r in regels] == [
        ("aanmaken", None, None, {"peildatum": "2026-11-23", "tot": "2026-12-07", "nieuw": 3, "mislukt": []}),
        ("aanmaken", None, None, {"peildatum": "2026-11-23", "tot": "2026-12-07", "nieuw": 0, "mislukt": []}),
        ("aanmaken", None, None, {"peildatum": "2026-11-24", "tot": "2026-12-10", "nieuw": 1, "mislukt": []}),
    ]


def test_the_horizon_comes_from_the_setting(twee_rekeningen, settings):
    from perspectief.huishoudboekje.tasks import betalingen_dagelijks

    settings.HUISHOUDBOEKJE_PLANNEN_DAGEN = 3  # up to Thursday 26 November: nothing is due
    assert betalingen_dagelijks.apply(kwargs={"peildatum": "2026-11-23"}).get() == 0
    assert AuditRegel.objects.get(object_type="betalingen_plannen").details["tot"] == "2026-11-26"


def test_the_default_horizon_is_14_days():
    from django.conf import settings

    assert settings.HUISHOUDBOEKJE_PLANNEN_DAGEN == 14


def test_one_failing_account_does_not_stop_the_others(twee_rekeningen, monkeypatch, caplog):
    from perspectief.huishoudboekje.tasks import betalingen_dagelijks

    echt = betalingen.betalingen_plannen
    kapot = twee_rekeningen[0].tussenrekening

    def plannen(*, tussenrekening, peildatum, tot):
        if tussenrekening.pk == kapot.pk:
            raise ValueError("kapot")
        return echt(tussenrekening=tussenrekening, peildatum=peildatum, tot=tot)

    monkeypatch.setattr(betalingen, "betalingen_plannen", plannen)
    with pytest.raises(RuntimeError):
        betalingen_dagelijks.apply(kwargs={"peildatum": "2026-11-23"}).get()
    assert list(Betaling.objects.values_list("deelname_id", flat=True)) == [twee_rekeningen[1].pk]
    assert AuditRegel.objects.get(object_type="betalingen_plannen").details["mislukt"] == [kapot.pk]
    assert f"planning failed for tussenrekening {kapot.pk}" in caplog.text


def test_scheduled_every_morning_before_the_signals():
    from perspectief.celery import app
    from perspectief.huishoudboekje.tasks import PLANNEN_SCHEDULE_NAME, SIGNALEN_SCHEDULE_NAME

    plannen = app.conf.beat_schedule[PLANNEN_SCHEDULE_NAME]
    signalen = app.conf.beat_schedule[SIGNALEN_SCHEDULE_NAME]
    assert plannen["task"] == "perspectief.huishoudboekje.tasks.betalingen_dagelijks"
    assert (plannen["schedule"].hour, plannen["schedule"].minute) == ({6}, {0})
    assert (min(plannen["schedule"].hour), min(plannen["schedule"].minute)) < (
        min(signalen["schedule"].hour), min(signalen["schedule"].minute)
    )
