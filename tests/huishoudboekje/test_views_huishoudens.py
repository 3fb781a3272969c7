"""The household screens: the work list (search through the session, filters, empty state,
bounded queries), starting a participation, a household's page (budget, afspraken, ledger,
bank lines with reasons, payments, the monthly table and chart, printable, audit-logged)
and adding, changing and ending afspraken."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from perspectief.audit.constants import Actie, Resultaat
from perspectief.audit.models import AuditRegel
from perspectief.huishoudboekje import matching
from perspectief.huishoudboekje.betalingen import betalingen_plannen
from perspectief.huishoudboekje.constants import BetalingStatus, SignaalSoort
from perspectief.huishoudboekje.grafiek import euro_kort, maandgrafiek
from perspectief.huishoudboekje.models import Afspraak, Betaling, Deelname, Signaal
from perspectief.toegang.constants import Rol

from ..conftest import login_verified
from ..factories import GebruikerFactory, HuishoudenFactory
from .factories import AfspraakFactory, DeelnameFactory
from .test_betalingen_hulp import vast_vandaag  # noqa: F401  (fixture)
from .test_views_afschriften import Wereld, camt_document, gift, huur_regel, maak_wereld, open_regel, upload

pytestmark = pytest.mark.django_db

URL = "/huishoudboekje/"


@pytest.fixture
def wereld() -> Wereld:
    return maak_wereld()


@pytest.fixture
def client(wereld) -> Client:
    return login_verified(Client(), wereld.budgetbeheerder)


def weigeringen() -> int:
    return AuditRegel.objects.filter(resultaat=Resultaat.GEWEIGERD).count()


def deelname_url(deelname, suffix: str = "") -> str:
    return f"{URL}{deelname.uuid}/{suffix}"


# --- the work list --------------------------------------------------------------------------------


def test_work_list_shows_the_caseload_with_balance_signals_and_next_leefgeld(client, wereld):
    upload(client, camt_document([gift(100)], message_id="G", statement_id="G"))
    regel = open_regel(wereld, bedrag="20.00", kenmerk="inkomen")
    regel.richting = "inkomen"
    regel.save()
    Signaal.objects.create(deelname=wereld.deelname, soort=SignaalSoort.NEGATIEF_SALDO, periode=dt.date(2026, 2, 1))
    matching.handmatig_boeken(actor=None, transactie=regel, deelname=wereld.deelname)
    response = client.get(URL)
    assert response.status_code == 200
    [rij] = response.context["page"].object_list  # Visser is another team's
    assert (rij.pk, rij.tegoed, rij.open_signalen) == (wereld.deelname.pk, Decimal("20.00"), 1)
    assert rij.leefgeld_datum is None and rij.leefgeld_verwacht is not None  # from the schedule
    html = response.content.decode()
    assert "Bakker" in html and "Visser" not in html
    assert "€ 20,00" in html and "nog niet klaargezet" in html
    assert "Laatste bankafschrift:" in html
    entry = AuditRegel.objects.filter(object_type="huishoudboekje_werklijst").get()
    assert (entry.actie, entry.details) == (Actie.INZIEN, {"deelnames": [wereld.deelname.pk], "pagina": 1})


def test_search_keeps_the_name_out_of_the_url(client, wereld):
    DeelnameFactory(huishouden=HuishoudenFactory(gemeente=wereld.gemeente, team=wereld.team, naam="Jansen"),
                    tussenrekening=wereld.tussenrekening, budgetbeheerder=wereld.budgetbeheerder)
    response = client.post(URL, {"zoekterm": "jans", "filter": ""})
    assert response.status_code == 302
    assert response["Location"].startswith(f"{URL}?zoekopdracht=") and "jans" not in response["Location"].lower()
    gevonden = client.get(response["Location"])
    assert [d.huishouden.naam for d in gevonden.context["page"].object_list] == ["Jansen"]
    assert AuditRegel.objects.filter(object_type="huishoudboekje_werklijst", actie=Actie.ZOEKEN).count() == 1
    verlopen = client.get(f"{URL}?zoekopdracht=onbekend")
    assert "Deze zoekopdracht is verlopen." in verlopen.content.decode()


def test_filters_open_signals_and_negative_balance(client, wereld):
    tweede = DeelnameFactory(huishouden=HuishoudenFactory(gemeente=wereld.gemeente, team=wereld.team, naam="Jansen"),
                             tussenrekening=wereld.tussenrekening, budgetbeheerder=wereld.budgetbeheerder)
    Signaal.objects.create(deelname=tweede, soort=SignaalSoort.NEGATIEF_SALDO, periode=dt.date(2026, 2, 1))
    Signaal.objects.create(deelname=wereld.deelname, soort=SignaalSoort.NEGATIEF_SALDO, periode=dt.date(2026, 1, 1),
                           status="afgehandeld")
    matching.handmatig_boeken(actor=None, transactie=open_regel(wereld), afspraak=wereld.huur)  # Bakker: -650
    signalen = client.get(f"{URL}?filter=signalen").context["page"].object_list
    negatief = client.get(f"{URL}?filter=negatief").context["page"].object_list
    alle = client.get(URL).context["page"].object_list
    assert [d.pk for d in signalen] == [tweede.pk]
    assert [d.pk for d in negatief] == [wereld.deelname.pk]
    assert [d.pk for d in alle] == [wereld.deelname.pk, tweede.pk]
    assert "hhb-negatief" in client.get(URL).content.decode()


def test_empty_work_list_says_how_to_start(wereld):
    leeg = GebruikerFactory(rol=Rol.BUDGETBEHEERDER, gemeente=wereld.gemeente)
    html = login_verified(Client(), leeg).get(URL).content.decode()
    assert "Er doen nog geen huishoudens uit uw werkvoorraad mee" in html
    assert "/huishoudboekje/nieuw/" in html


def test_work_list_runs_the_same_number_of_queries_for_2_and_25_households(client, wereld):
    def tellen() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(URL).status_code == 200
        return len(context.captured_queries)

    weinig = tellen()
    for nummer in range(23):
        deelname = DeelnameFactory(
            huishouden=HuishoudenFactory(gemeente=wereld.gemeente, team=wereld.team, naam=f"Huishouden {nummer:02d}"),
            tussenrekening=wereld.tussenrekening, budgetbeheerder=wereld.budgetbeheerder,
        )
        Signaal.objects.create(deelname=deelname, soort=SignaalSoort.NEGATIEF_SALDO, periode=dt.date(2026, 2, 1))
    assert tellen() == weinig


# --- starting a participation ------------------------------------------------------------------


def test_start_a_participation_for_a_household_of_the_caseload(client, wereld):
    nieuw = HuishoudenFactory(gemeente=wereld.gemeente, team=wereld.team, naam="De Vries")
    buiten = HuishoudenFactory(gemeente=wereld.gemeente, naam="Buiten")
    pagina = client.get(f"{URL}nieuw/?huishouden={nieuw.uuid}")
    keuzes = [str(h) for h in pagina.context["keuze"].fields["huishouden"].queryset]
    assert keuzes == [str(nieuw)]  # Bakker already takes part; Buiten is not in the caseload
    assert f'<option value="{nieuw.uuid}" selected>' in pagina.content.decode()
    response = client.post(f"{URL}nieuw/", {
        "keuze-huishouden": str(nieuw.uuid), "startdatum": "2026-03-01", "leefgeld_frequentie": "week",
        "leefgeld_dag": "4", "leefgeld_iban": "NL91ABNA0417164300", "leefgeld_naam": "J. de Vries", "buffer": "50",
    })
    deelname = Deelname.objects.get(huishouden=nieuw)
    assert response.status_code == 302 and response["Location"] == deelname_url(deelname)
    assert (deelname.budgetbeheerder, deelname.tussenrekening, deelname.buffer) == (
        wereld.budgetbeheerder, wereld.tussenrekening, Decimal("50.00"))
    refused = client.post(f"{URL}nieuw/", {
        "keuze-huishouden": str(buiten.uuid), "startdatum": "2026-03-01", "leefgeld_frequentie": "week",
        "leefgeld_dag": "4", "leefgeld_iban": "NL91ABNA0417164300", "leefgeld_naam": "X", "buffer": "0",
    })
    assert refused.status_code == 200 and "huishouden" in refused.context["keuze"].errors
    assert not Deelname.objects.filter(huishouden=buiten).exists()


def test_start_with_a_bad_iban_shows_the_service_error_and_stores_nothing(client, wereld):
    nieuw = HuishoudenFactory(gemeente=wereld.gemeente, team=wereld.team, naam="De Vries")
    response = client.post(f"{URL}nieuw/", {
        "keuze-huishouden": str(nieuw.uuid), "startdatum": "2026-03-01", "leefgeld_frequentie": "week",
        "leefgeld_dag": "4", "leefgeld_iban": "NL00GEEN0000000000", "leefgeld_naam": "J. de Vries", "buffer": "0",
    })
    assert response.status_code == 200
    assert "leefgeld_iban" in response.context["form"].errors
    assert not Deelname.objects.filter(huishouden=nieuw).exists()


# --- a household's page -----------------------------------------------------------------------


def test_household_page_shows_budget_afspraken_ledger_bank_lines_and_months(client, wereld):
    deze_maand = timezone.localdate().replace(day=2)  # the rent's term is the 1st (3 days margin)
    upload(client, camt_document([huur_regel(datum=deze_maand.isoformat()), gift(5)]))  # booked automatically
    response = client.get(deelname_url(wereld.deelname))
    assert response.status_code == 200
    html = response.content.decode()
    for tekst in ("Huishoudboekje Bakker", "Budget", "Gereserveerd", "Buffer", "Volgende leefgeld", "Afspraken",
                  "Huur Bakker", "Overzicht per maand", "Boekingen", "Bankregels", "Betalingen", "Afdrukken"):
        assert tekst in html, tekst
    assert response.context["budget"].tegoed == Decimal("-650.00")
    [mutatie] = response.context["mutaties"].object_list
    assert (mutatie.eraf, mutatie.erbij) == (Decimal("650.00"), None)
    [regel] = response.context["transacties"].object_list
    assert [r["code"] for r in regel.reden_teksten] == ["iban", "bedrag_precies", "datum"]
    assert "Bedrag is precies het afgesproken bedrag (€ 650,00)" in html
    assert "<svg" in html and 'role="img"' in html and "style=" not in html
    assert len(response.context["maand_labels"]) == 6
    rijen = {rij["rubriek"]: rij["bedragen"] for rij in response.context["maand_rijen"]}
    assert rijen == {"Huur": [None, None, None, None, None, Decimal("-650.00")]}
    assert [m.uitgaven for m in response.context["maanden"]][-1] == Decimal("650.00")
    assert "€ 650" in [s.tekst for s in response.context["grafiek"].maanden[-1].staven]
    entry = AuditRegel.objects.filter(object_type="deelname").get()
    assert (entry.actie, entry.object_id, entry.huishouden_id) == (
        Actie.INZIEN, str(wereld.deelname.pk), wereld.deelname.huishouden_id)


def test_household_page_of_another_team_is_hidden_and_logged(client, wereld):
    voor = weigeringen()
    assert client.get(deelname_url(wereld.ander_team)).status_code == 404
    assert weigeringen() == voor + 1
    entry = AuditRegel.objects.filter(resultaat=Resultaat.GEWEIGERD).order_by("-volgnummer").first()
    assert entry.huishouden_id == wereld.ander_team.huishouden_id


def test_household_page_is_refused_to_a_klantmanager_of_the_same_team(wereld):
    klantmanager = GebruikerFactory(rol=Rol.KLANTMANAGER, gemeente=wereld.gemeente, teams=[wereld.team])
    voor = weigeringen()
    assert login_verified(Client(), klantmanager).get(deelname_url(wereld.deelname)).status_code == 403
    assert weigeringen() == voor + 1


def test_household_page_pages_its_ledger(client, wereld):
    for nummer in range(25):
        regel = open_regel(wereld, bedrag=f"{nummer + 1}.00", kenmerk=f"r{nummer}")
        matching.handmatig_boeken(actor=None, transactie=regel, deelname=wereld.deelname)
    eerste = client.get(deelname_url(wereld.deelname))
    tweede = client.get(deelname_url(wereld.deelname) + "?mutaties=2")
    assert len(eerste.context["mutaties"].object_list) == 20
    assert len(tweede.context["mutaties"].object_list) == 5
    assert "?mutaties=2#grootboek-kop" in eerste.content.decode()


def test_household_page_runs_the_same_number_of_queries_for_few_and_many_lines(client, wereld):
    def tellen() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(deelname_url(wereld.deelname)).status_code == 200
        return len(context.captured_queries)

    matching.handmatig_boeken(actor=None, transactie=open_regel(wereld, kenmerk="eerste"), afspraak=wereld.huur)
    weinig = tellen()
    for nummer in range(30):
        matching.handmatig_boeken(actor=None, transactie=open_regel(wereld, kenmerk=f"r{nummer}"), afspraak=wereld.huur)
        AfspraakFactory(deelname=wereld.deelname, omschrijving=f"Afspraak {nummer}")
    assert tellen() == weinig


# --- afspraken ------------------------------------------------------------------------------------


def _afspraak_data(**anders) -> dict:
    data = {
        "richting": "uitgave", "rubriek": "energie", "omschrijving": "Energie", "organisatie_naam": "Energiebedrijf",
        "tegenrekening_iban": "NL91ABNA0417164300", "bedrag": "120.00", "marge_bedrag": "5", "marge_dagen": "3",
        "frequentie": "maand", "dag": "28", "maand": "1", "geldig_vanaf": "2026-01-01", "geldig_tot": "",
        "betalingskenmerk": "", "betalen": "on", "alarm": "on", "zoektermen": "klantnummer 123", "uitgesloten_datums": "",
    }
    return {**data, **anders}


def test_add_an_afspraak(client, wereld):
    assert client.get(deelname_url(wereld.deelname, "afspraken/nieuw/")).status_code == 200
    response = client.post(deelname_url(wereld.deelname, "afspraken/nieuw/"), _afspraak_data())
    assert response.status_code == 302
    assert response["Location"] == deelname_url(wereld.deelname) + "#afspraken-kop"
    afspraak = Afspraak.objects.get(deelname=wereld.deelname, omschrijving="Energie")
    assert (afspraak.bedrag, afspraak.dag, afspraak.organisatie.naam) == (Decimal("120.00"), 28, "Energiebedrijf")


def test_an_afspraak_with_errors_is_not_stored(client, wereld):
    response = client.post(deelname_url(wereld.deelname, "afspraken/nieuw/"), _afspraak_data(tegenrekening_iban="NL00FOUT"))
    assert response.status_code == 200
    assert "tegenrekening_iban" in response.context["form"].errors
    assert not Afspraak.objects.filter(omschrijving="Energie").exists()


def test_change_an_afspraak(client, wereld):
    url = deelname_url(wereld.deelname, f"afspraken/{wereld.huur.uuid}/")
    pagina = client.get(url)
    assert pagina.status_code == 200 and 'value="Huur Bakker"' in pagina.content.decode()
    data = _afspraak_data(rubriek="huur", omschrijving="Huur Bakker", bedrag="675.00", tegenrekening_iban=wereld.huur.tegenrekening_iban,
                          organisatie_naam=wereld.huur.organisatie.naam, dag="1")
    assert client.post(url, data).status_code == 302
    wereld.huur.refresh_from_db()
    assert wereld.huur.bedrag == Decimal("675.00")


def test_changing_an_afspraak_says_how_many_planned_payments_were_changed(client, wereld, settings, vast_vandaag):  # noqa: F811
    # Today 23 November 2026, 14 days ahead: the rent of 1 December is planned.
    settings.HUISHOUDBOEKJE_PLANNEN_DAGEN = 14
    betalingen_plannen(tussenrekening=wereld.tussenrekening, peildatum=vast_vandaag, tot=dt.date(2026, 12, 7))
    url = deelname_url(wereld.deelname, f"afspraken/{wereld.huur.uuid}/")
    data = _afspraak_data(rubriek="huur", omschrijving="Huur Bakker", bedrag="675.00", tegenrekening_iban=wereld.huur.tegenrekening_iban,
                          organisatie_naam=wereld.huur.organisatie.naam, dag="1")
    response = client.post(url, data, follow=True)
    meldingen = [str(m) for m in response.context["messages"]]
    assert meldingen == ["De afspraak is gewijzigd.", "1 geplande betaling is aangepast aan de nieuwe afspraak."]
    assert list(Betaling.objects.filter(afspraak=wereld.huur, status=BetalingStatus.GEPLAND).values_list("bedrag", flat=True)) == [
        Decimal("675.00")
    ]
    # A change the payments do not depend on says nothing about payments.
    response = client.post(url, {**data, "marge_dagen": "5"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["De afspraak is gewijzigd."]


def test_payment_messages_count_replaced_dropped_new_and_batched_payments():
    from django.contrib import messages

    from perspectief.huishoudboekje.deelname import AfspraakWijziging
    from perspectief.huishoudboekje.views.huishoudens import betalingen_meldingen

    assert betalingen_meldingen(AfspraakWijziging(afspraak=None)) == []
    assert betalingen_meldingen(
        AfspraakWijziging(afspraak=None, betalingen_geannuleerd=3, betalingen_gepland=1, betalingen_in_batch=2)
    ) == [
        (messages.INFO, "1 geplande betaling is aangepast aan de nieuwe afspraak."),
        (messages.INFO, "2 geplande betalingen gaan niet door, want die passen niet meer bij de afspraak."),
        (
            messages.WARNING,
            "2 betalingen staan al in een betaalbestand dat nog niet is goedgekeurd. Die zijn niet aangepast. "
            "Moeten die anders? Keur dan het betaalbestand af en annuleer de betalingen. "
            "Dan worden de betalingen opnieuw gepland met de nieuwe gegevens.",
        ),
    ]
    assert betalingen_meldingen(AfspraakWijziging(afspraak=None, betalingen_gepland=2)) == [
        (messages.INFO, "2 betalingen zijn nu gepland volgens de nieuwe afspraak.")
    ]


def test_end_an_afspraak(client, wereld):
    url = deelname_url(wereld.deelname, f"afspraken/{wereld.huur.uuid}/beeindigen/")
    assert ">Afspraak beëindigen</button>" in client.get(url).content.decode()
    assert client.post(url, {"geldig_tot": "2026-06-30"}).status_code == 302
    wereld.huur.refresh_from_db()
    assert wereld.huur.geldig_tot == dt.date(2026, 6, 30)


def test_an_afspraak_of_another_household_is_hidden(client, wereld):
    voor = weigeringen()
    url = deelname_url(wereld.deelname, f"afspraken/{wereld.huur_ander_team.uuid}/beeindigen/")
    assert client.post(url, {"geldig_tot": "2026-06-30"}).status_code == 404
    assert weigeringen() == voor + 1
    wereld.huur_ander_team.refresh_from_db()
    assert wereld.huur_ander_team.geldig_tot is None


# --- the chart --------------------------------------------------------------------------------------


def test_chart_scales_to_the_largest_amount_and_prints_whole_euros():
    grafiek = maandgrafiek(titel="t", labels=["jan", "feb"], inkomen=[Decimal("1000"), Decimal("0")],
                           uitgaven=[Decimal("500"), Decimal("250")])
    staven = [staaf for maand in grafiek.maanden for staaf in maand.staven]
    hoogste = max(staaf.hoogte for staaf in staven)
    assert [staaf.hoogte for staaf in staven] == [hoogste, hoogste / 2, 0.0, hoogste / 4]
    assert [staaf.tekst for staaf in staven] == ["€ 1.000", "€ 500", "€ 0", "€ 250"]
    assert euro_kort(Decimal("1234.56")) == "€ 1.235"
    with pytest.raises(ValueError):
        maandgrafiek(titel="t", labels=["jan"], inkomen=[], uitgaven=[])
