"""Participation and afspraken services (deelname.py) and their forms (forms.py)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from perspectief.audit.models import AuditRegel
from perspectief.huishoudboekje import deelname as services
from perspectief.huishoudboekje.constants import (
    DOEL,
    BetalingSoort,
    BetalingStatus,
    Frequentie,
    LeefgeldFrequentie,
    RekeningSoort,
    Richting,
    Rubriek,
)
from perspectief.huishoudboekje.forms import AfspraakForm, DeelnameForm, afspraak_initial
from perspectief.huishoudboekje.models import Afspraak, Betaling, Deelname, Organisatie, Rekening

from ..factories import GebruikerFactory, GemeenteFactory, HuishoudenFactory
from .factories import AfspraakFactory, BudgetbeheerderFactory, DeelnameFactory, OrganisatieFactory, TussenrekeningFactory
from .test_betalingen_hulp import vast_vandaag  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 1, 1)
# IBANs with valid check digits (the ABNA one is the standard example in schwifty's docs
# and the Dutch banks' own examples; the INGB one is the factory's creditor account).
IBAN_INWONER = "NL91ABNA0417164300"
IBAN_VERHUURDER = "NL20INGB0001234567"


def _fouten(uitvoering) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        uitvoering()
    return raised.value.message_dict


def _start(**anders):
    huishouden = anders.pop("huishouden", None) or HuishoudenFactory()
    velden = {
        "actor": anders.pop("actor", None) or BudgetbeheerderFactory(),
        "huishouden": huishouden,
        "tussenrekening": TussenrekeningFactory(gemeente=huishouden.gemeente),
        "budgetbeheerder": BudgetbeheerderFactory(),
        "startdatum": START,
        "leefgeld_frequentie": LeefgeldFrequentie.WEEK,
        "leefgeld_dag": 4,
        "leefgeld_iban": "nl91 abna 0417 1643 00",
        "leefgeld_naam": "  A.  Jansen ",
        **anders,
    }
    return services.deelname_starten(**velden)


# --- deelname ----------------------------------------------------------------------------


def test_starting_creates_the_deelname_its_account_and_an_audit_entry():
    actor = BudgetbeheerderFactory()
    deelname = _start(actor=actor, buffer=Decimal("50.00"))
    assert (deelname.leefgeld_iban, deelname.leefgeld_naam, deelname.leefgeld_dag, deelname.buffer) == (
        IBAN_INWONER,
        "A. Jansen",
        4,
        Decimal("50.00"),
    )
    rekening = Rekening.objects.get(deelname=deelname)
    assert (rekening.soort, rekening.saldo, rekening.gemeente_id) == (
        RekeningSoort.HUISHOUDEN,
        0,
        deelname.tussenrekening.gemeente_id,
    )
    regel = AuditRegel.objects.get(object_type=services.OBJECT_DEELNAME)
    assert (regel.actie, regel.object_id, regel.huishouden_id, regel.doel, regel.actor_id) == (
        "aanmaken",
        str(deelname.pk),
        deelname.huishouden_id,
        DOEL,
        actor.pk,
    )
    assert IBAN_INWONER not in str(regel.details)


def test_starting_refuses_each_wrong_field_with_a_dutch_message():
    klantmanager = GebruikerFactory()
    fouten = _fouten(
        lambda: _start(
            budgetbeheerder=klantmanager,
            startdatum=None,
            leefgeld_frequentie="dag",
            leefgeld_iban="NL91ABNA0417164301",
            leefgeld_naam=" ",
            buffer=Decimal("-1"),
        )
    )
    assert fouten == {
        "budgetbeheerder": ["Kies een budgetbeheerder."],
        "startdatum": ["Kies een datum."],
        "leefgeld_frequentie": ["Kies elke week of elke maand."],
        "leefgeld_iban": ["Dit IBAN klopt niet. Kijk of u geen cijfer mist."],
        "leefgeld_naam": ["Vul de naam van de rekeninghouder in."],
        "buffer": ["Het bedrag kan niet negatief zijn."],
    }
    assert Deelname.objects.count() == 0


@pytest.mark.parametrize(
    "frequentie, dag, goed",
    [
        (LeefgeldFrequentie.WEEK, 0, True),
        (LeefgeldFrequentie.WEEK, 6, True),
        (LeefgeldFrequentie.WEEK, 7, False),
        (LeefgeldFrequentie.MAAND, 0, False),
        (LeefgeldFrequentie.MAAND, 31, True),
        (LeefgeldFrequentie.MAAND, 32, False),
    ],
)
def test_leefgeld_day_range_depends_on_the_frequency(frequentie, dag, goed):
    if goed:
        assert _start(leefgeld_frequentie=frequentie, leefgeld_dag=dag).leefgeld_dag == dag
    else:
        assert list(_fouten(lambda: _start(leefgeld_frequentie=frequentie, leefgeld_dag=dag))) == ["leefgeld_dag"]


def test_a_household_joins_once_and_only_with_an_account_of_its_gemeente():
    deelname = DeelnameFactory()
    fouten = _fouten(lambda: _start(huishouden=deelname.huishouden))
    assert fouten == {"huishouden": ["Dit huishouden doet al mee met het huishoudboekje."]}
    elders = HuishoudenFactory(gemeente=GemeenteFactory(naam="Elders", cbs_code="GM9998", slug="elders"))
    fouten = _fouten(
        lambda: services.deelname_starten(
            actor=None,
            huishouden=elders,
            tussenrekening=deelname.tussenrekening,
            budgetbeheerder=deelname.budgetbeheerder,
            startdatum=START,
            leefgeld_frequentie=LeefgeldFrequentie.WEEK,
            leefgeld_dag=0,
            leefgeld_iban=IBAN_INWONER,
            leefgeld_naam="X",
        )
    )
    assert fouten == {"tussenrekening": ["Deze rekening hoort bij een andere gemeente dan het huishouden."]}


def test_changing_a_deelname_logs_the_changed_fields_only():
    deelname = _start()
    services.deelname_wijzigen(actor=None, deelname=deelname, buffer="25.50", leefgeld_dag=4)
    deelname.refresh_from_db()
    assert deelname.buffer == Decimal("25.50")
    regel = AuditRegel.objects.filter(object_type=services.OBJECT_DEELNAME).latest("volgnummer")
    assert (regel.actie, regel.details) == ("wijzigen", {"velden": ["buffer"]})
    with pytest.raises(TypeError):
        services.deelname_wijzigen(actor=None, deelname=deelname, huishouden=None)


def test_the_start_date_cannot_move_past_an_afspraak():
    deelname = _start()
    AfspraakFactory(deelname=deelname, geldig_vanaf=datetime.date(2026, 2, 1))
    fouten = _fouten(lambda: services.deelname_wijzigen(actor=None, deelname=deelname, startdatum=datetime.date(2026, 3, 1)))
    assert fouten == {
        "startdatum": ["Er is een afspraak die eerder begint (2026-02-01). Kies een startdatum op of voor die dag."]
    }


def test_ending_a_deelname_ends_its_afspraken_and_cancels_planned_payments_after_it():
    deelname = _start()
    huur = AfspraakFactory(deelname=deelname)
    loopt_korter = AfspraakFactory(deelname=deelname, omschrijving="Kort", geldig_tot=datetime.date(2026, 3, 31))
    einde = datetime.date(2026, 6, 30)

    def betaling(termijn, status=BetalingStatus.GEPLAND):
        return Betaling.objects.create(
            deelname=deelname,
            afspraak=huur,
            soort=BetalingSoort.VASTE_LAST,
            termijn=termijn,
            uitvoerdatum=termijn,
            bedrag=Decimal("650.00"),
            tegenrekening_iban=IBAN_VERHUURDER,
            tegenpartij_naam="Verhuurder",
            end_to_end_id=f"E2E{termijn:%Y%m%d}",
            status=status,
        )

    juni, juli = betaling(datetime.date(2026, 6, 1)), betaling(datetime.date(2026, 7, 1))
    augustus = betaling(datetime.date(2026, 8, 1), status=BetalingStatus.VERZONDEN)
    services.deelname_beeindigen(actor=None, deelname=deelname, einddatum=einde)
    deelname.refresh_from_db()
    huur.refresh_from_db()
    loopt_korter.refresh_from_db()
    assert (deelname.einddatum, huur.geldig_tot, loopt_korter.geldig_tot) == (einde, einde, datetime.date(2026, 3, 31))
    statussen = {b.pk: b.status for b in Betaling.objects.all()}
    assert statussen == {
        juni.pk: BetalingStatus.GEPLAND,
        juli.pk: BetalingStatus.GEANNULEERD,
        augustus.pk: BetalingStatus.VERZONDEN,
    }
    regel = AuditRegel.objects.filter(object_type=services.OBJECT_DEELNAME).latest("volgnummer")
    assert regel.details == {"velden": ["einddatum"], "afspraken_beeindigd": [huur.pk], "betalingen_geannuleerd": 1}


def test_ending_is_refused_before_the_start_or_before_an_afspraak_begins():
    deelname = _start()
    assert _fouten(lambda: services.deelname_beeindigen(actor=None, deelname=deelname, einddatum=datetime.date(2025, 12, 31))) == {
        "einddatum": ["De einddatum ligt voor de startdatum (2026-01-01)."]
    }
    AfspraakFactory(deelname=deelname, geldig_vanaf=datetime.date(2026, 5, 1))
    assert list(_fouten(lambda: services.deelname_beeindigen(actor=None, deelname=deelname, einddatum=datetime.date(2026, 4, 30)))) == [
        "einddatum"
    ]


# --- organisatie -------------------------------------------------------------------------


def test_organisation_is_found_ignoring_case_and_spaces_or_created():
    gemeente = GemeenteFactory()
    eerste = services.organisatie_zoeken_of_maken(gemeente=gemeente, naam="  Woonstad   Utrecht ")
    assert eerste.naam == "Woonstad Utrecht"
    assert services.organisatie_zoeken_of_maken(gemeente=gemeente, naam="woonstad utrecht") == eerste
    assert Organisatie.objects.count() == 1
    assert _fouten(lambda: services.organisatie_zoeken_of_maken(gemeente=gemeente, naam="  ")) == {
        "organisatie_naam": ["Vul de naam van de organisatie in."]
    }


# --- afspraken ---------------------------------------------------------------------------


def _afspraak_velden(**anders):
    return {
        "richting": Richting.UITGAVE,
        "rubriek": Rubriek.HUUR,
        "omschrijving": "Huur",
        "organisatie_naam": "Woonstad",
        "tegenrekening_iban": "nl20 ingb 0001 2345 67",
        "bedrag": Decimal("650.00"),
        "frequentie": Frequentie.MAAND,
        "dag": 31,
        "geldig_vanaf": datetime.date(2026, 1, 1),
        **anders,
    }


def test_saving_a_new_afspraak_normalises_and_logs():
    deelname = _start()
    afspraak = services.afspraak_opslaan(
        actor=None,
        deelname=deelname,
        **_afspraak_velden(
            zoektermen=[" huur  januari ", "", "Huur januari", "klant 123"],
            uitgesloten_datums=["2026-12-31", datetime.date(2026, 6, 30), "2026-12-31"],
            # Betaalvereniging modulus 11 over 000001234567894 with weights 2,4,8,5,10,9,7,3,6,1
            # from the right: sum 298, 11 - 298 mod 11 = 10, written as check digit 1.
            betalingskenmerk="1000 0012 3456 7894",
        ),
    )
    afspraak.refresh_from_db()
    assert afspraak.tegenrekening_iban == IBAN_VERHUURDER
    assert afspraak.zoektermen == ["huur januari", "klant 123"]
    assert afspraak.uitgesloten_datums == ["2026-06-30", "2026-12-31"]
    assert afspraak.betalingskenmerk == "1000001234567894"
    assert (afspraak.betalen, afspraak.alarm, afspraak.marge_dagen, afspraak.maand) == (True, True, 3, 1)
    assert afspraak.organisatie.naam == "Woonstad"
    regel = AuditRegel.objects.get(object_type=services.OBJECT_AFSPRAAK)
    assert (regel.actie, regel.object_id, regel.huishouden_id) == ("aanmaken", str(afspraak.pk), deelname.huishouden_id)


def test_an_afspraak_is_refused_field_by_field():
    deelname = _start()
    fouten = _fouten(
        lambda: services.afspraak_opslaan(
            actor=None,
            deelname=deelname,
            **_afspraak_velden(
                rubriek="snoep",
                omschrijving="",
                organisatie_naam="",
                tegenrekening_iban="NL20INGB0001234568",
                bedrag=Decimal("12.345"),
                marge_bedrag=Decimal("-1.00"),
                dag=32,
                maand=13,
                uitgesloten_datums=["31-12-2026"],
                geldig_vanaf=datetime.date(2025, 12, 1),
                geldig_tot=datetime.date(2025, 11, 30),
                betalingskenmerk="1234",
            ),
        )
    )
    assert fouten == {
        "rubriek": ["Kies een rubriek."],
        "omschrijving": ["Vul een omschrijving in, zoals 'Huur'."],
        "organisatie_naam": ["Vul de naam van de organisatie in."],
        "tegenrekening_iban": ["Dit IBAN klopt niet. Kijk of u geen cijfer mist."],
        "bedrag": ["Een bedrag heeft hoogstens 2 cijfers achter de komma."],
        "marge_bedrag": ["Het bedrag kan niet negatief zijn."],
        "dag": ["Kies een dag van 1 tot en met 31. Bij 29, 30 of 31 wordt het in een korte maand de laatste dag."],
        "maand": ["Kies een maand van 1 tot en met 12."],
        "uitgesloten_datums": ["'31-12-2026' is geen datum. Schrijf datums zoals 2026-12-25."],
        "geldig_vanaf": ["De afspraak kan niet beginnen voor de start van het huishoudboekje (2026-01-01)."],
        "geldig_tot": ["De laatste dag ligt voor de eerste dag. Kies een latere datum."],
        "betalingskenmerk": ["Dit betalingskenmerk klopt niet. Neem het precies over van de rekening of de brief."],
    }
    assert Afspraak.objects.count() == 0


@pytest.mark.parametrize("bedrag", [Decimal("0"), Decimal("-5.00")])
def test_an_amount_must_be_positive(bedrag):
    deelname = _start()
    assert _fouten(lambda: services.afspraak_opslaan(actor=None, deelname=deelname, **_afspraak_velden(bedrag=bedrag))) == {
        "bedrag": ["Vul een bedrag groter dan 0 in."]
    }


@pytest.mark.parametrize("dag, goed", [(0, True), (6, True), (7, False)])
def test_a_weekly_afspraak_takes_a_weekday(dag, goed):
    deelname = _start()

    def opslaan():
        return services.afspraak_opslaan(
            actor=None, deelname=deelname, **_afspraak_velden(frequentie=Frequentie.WEEK, dag=dag)
        )

    if goed:
        assert opslaan().dag == dag
    else:
        assert _fouten(opslaan) == {"dag": ["Kies een dag van de week: 0 is maandag, 6 is zondag."]}


def test_income_is_never_paid_and_its_reference_is_free_text():
    deelname = _start()
    inkomen = services.afspraak_opslaan(
        actor=None,
        deelname=deelname,
        **_afspraak_velden(richting=Richting.INKOMEN, rubriek=Rubriek.UITKERING, betalingskenmerk=" UWV  ref 77 "),
    )
    assert (inkomen.betalen, inkomen.betalingskenmerk) == (False, "UWV ref 77")
    assert _fouten(
        lambda: services.afspraak_opslaan(
            actor=None, deelname=deelname, **_afspraak_velden(richting=Richting.INKOMEN, betalen=True)
        )
    ) == {"betalen": ["Inkomen wordt niet betaald vanaf de rekening. Zet dit vinkje uit."]}


def test_afspraak_dates_stay_within_an_ended_deelname():
    deelname = _start()
    services.deelname_beeindigen(actor=None, deelname=deelname, einddatum=datetime.date(2026, 6, 30))
    afspraak = services.afspraak_opslaan(actor=None, deelname=deelname, **_afspraak_velden())
    assert afspraak.geldig_tot == datetime.date(2026, 6, 30)
    assert _fouten(
        lambda: services.afspraak_opslaan(
            actor=None,
            deelname=deelname,
            **_afspraak_velden(geldig_vanaf=datetime.date(2026, 7, 1), geldig_tot=datetime.date(2026, 8, 1)),
        )
    ) == {
        "geldig_vanaf": ["Het huishoudboekje stopt op 2026-06-30. De afspraak moet daarvoor beginnen."],
        "geldig_tot": ["Het huishoudboekje stopt op 2026-06-30. Kies die dag of een eerdere."],
    }


def test_changing_an_afspraak_keeps_what_is_not_given_and_logs_the_changes(settings, vast_vandaag):  # noqa: F811
    settings.HUISHOUDBOEKJE_PLANNEN_DAGEN = 14  # window 23 Nov .. 7 Dec 2026: the term of 30 November
    deelname = _start()
    afspraak = services.afspraak_opslaan(actor=None, deelname=deelname, **_afspraak_velden())
    services.afspraak_opslaan(actor=None, deelname=deelname, afspraak=afspraak, bedrag="675.5", zoektermen="huur, HUUR")
    afspraak.refresh_from_db()
    assert (afspraak.bedrag, afspraak.zoektermen, afspraak.dag, afspraak.organisatie.naam) == (
        Decimal("675.50"),
        ["huur"],
        31,
        "Woonstad",
    )
    regel = AuditRegel.objects.filter(object_type=services.OBJECT_AFSPRAAK).latest("volgnummer")
    # The amount changed, so its payments were planned anew (none were planned before).
    assert (regel.actie, regel.details) == (
        "wijzigen",
        {"velden": ["bedrag", "zoektermen"], "betalingen_geannuleerd": 0, "betalingen_gepland": 1, "betalingen_in_batch": 0},
    )
    assert list(Betaling.objects.filter(afspraak=afspraak).values_list("termijn", "bedrag")) == [
        (datetime.date(2026, 11, 30), Decimal("675.50"))
    ]
    with pytest.raises(ValueError):
        services.afspraak_opslaan(actor=None, deelname=DeelnameFactory(), afspraak=afspraak, bedrag="1.00")


def test_ending_an_afspraak():
    deelname = _start()
    afspraak = services.afspraak_opslaan(actor=None, deelname=deelname, **_afspraak_velden())
    assert _fouten(lambda: services.afspraak_beeindigen(actor=None, afspraak=afspraak, geldig_tot=datetime.date(2025, 12, 31))) == {
        "geldig_tot": ["De afspraak begint op 2026-01-01. Kies die dag of een latere."]
    }
    services.afspraak_beeindigen(actor=None, afspraak=afspraak, geldig_tot=datetime.date(2026, 4, 30))
    afspraak.refresh_from_db()
    assert afspraak.geldig_tot == datetime.date(2026, 4, 30)


# --- forms -------------------------------------------------------------------------------


def test_deelname_form_goes_through_the_service():
    huishouden = HuishoudenFactory()
    beheerder = BudgetbeheerderFactory()
    form = DeelnameForm(
        {
            "startdatum": "2026-02-01",
            "leefgeld_frequentie": "maand",
            "leefgeld_dag": "31",
            "leefgeld_iban": "NL91 ABNA 0417 1643 00",
            "leefgeld_naam": "A. Jansen",
            "buffer": "0",
        }
    )
    assert form.is_valid(), form.errors
    assert set(form.cleaned_data) == {
        "startdatum",
        "leefgeld_frequentie",
        "leefgeld_dag",
        "leefgeld_iban",
        "leefgeld_naam",
        "buffer",
    }
    deelname = form.save(
        actor=beheerder,
        huishouden=huishouden,
        tussenrekening=TussenrekeningFactory(gemeente=huishouden.gemeente),
        budgetbeheerder=beheerder,
    )
    assert (deelname.startdatum, deelname.leefgeld_dag, deelname.leefgeld_iban) == (
        datetime.date(2026, 2, 1),
        31,
        IBAN_INWONER,
    )
    wijzig = DeelnameForm({**form.data, "buffer": "10.00"}, instance=deelname)
    assert wijzig.is_valid(), wijzig.errors
    assert wijzig.save(actor=beheerder).buffer == Decimal("10.00")
    assert 'type="date"' in str(form["startdatum"])


def test_afspraak_form_parses_lists_and_saves_through_the_service():
    deelname = _start()
    data = {
        "richting": "inkomen",
        "rubriek": "uitkering",
        "omschrijving": "Bijstand",
        "organisatie_naam": "Gemeente Werk en Inkomen",
        "tegenrekening_iban": "NL91ABNA0417164300",
        "bedrag": "1234.56",
        "marge_bedrag": "",
        "marge_dagen": "",
        "frequentie": "maand",
        "dag": "25",
        "maand": "",
        "geldig_vanaf": "2026-01-01",
        "geldig_tot": "",
        "zoektermen": "bijstand, klant 12\nBIJSTAND",
        "uitgesloten_datums": "2026-12-25\n2026-01-01, 2026-12-25",
        "betalingskenmerk": "",
        "betalen": "on",
        "alarm": "on",
    }
    form = AfspraakForm(data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["zoektermen"] == ["bijstand", "klant 12"]
    assert form.cleaned_data["uitgesloten_datums"] == ["2026-01-01", "2026-12-25"]
    assert form.cleaned_data["betalen"] is False
    afspraak = form.save(actor=None, deelname=deelname)
    assert (afspraak.bedrag, afspraak.marge_bedrag, afspraak.marge_dagen, afspraak.maand, afspraak.betalen) == (
        Decimal("1234.56"),
        Decimal("0.00"),
        3,
        1,
        False,
    )
    # Editing: the form fills itself from the instance, the lists as text.
    bewerk = AfspraakForm(instance=afspraak)
    assert bewerk.initial["zoektermen"] == "bijstand\nklant 12"
    assert bewerk.initial["organisatie_naam"] == "Gemeente Werk en Inkomen"
    assert afspraak_initial(afspraak)["uitgesloten_datums"] == "2026-01-01\n2026-12-25"
    bewerk = AfspraakForm({**data, "bedrag": "1300.00"}, instance=afspraak)
    assert bewerk.is_valid(), bewerk.errors
    afspraak.refresh_from_db()
    assert afspraak.bedrag == Decimal("1234.56")  # validating did not touch the instance
    assert bewerk.save(actor=None, deelname=deelname).bedrag == Decimal("1300.00")


def test_afspraak_form_reports_a_bad_date_in_the_list():
    form = AfspraakForm({"uitgesloten_datums": "2026-12-25, morgen"})
    assert not form.is_valid()
    assert form.errors["uitgesloten_datums"] == ["Dit is geen datum: morgen. Schrijf datums zoals 2026-12-25."]


def test_organisation_factory_is_reused_by_name():
    organisatie = OrganisatieFactory(naam="Eneco")
    deelname = _start(huishouden=HuishoudenFactory(gemeente=organisatie.gemeente))
    afspraak = services.afspraak_opslaan(
        actor=None, deelname=deelname, **_afspraak_velden(organisatie_naam="ENECO", rubriek=Rubriek.ENERGIE)
    )
    assert afspraak.organisatie == organisatie
