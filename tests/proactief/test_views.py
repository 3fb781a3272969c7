"""The klantmanager's pages and the armoederegisseur's what-if through the test client."""


import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from perspectief.audit.models import AuditRegel
from perspectief.huishoudens.models import Huishouden
from perspectief.proactief.models import Besluit, Kandidaat, Ontvangst, Ronde
from perspectief.toegang.constants import Rol
from tests.conftest import login_verified
from tests.factories import GebruikerFactory, TeamFactory

PEILDATUM = "2025-09-01"


@pytest.fixture
def client_km(km):
    return login_verified(Client(), km)


def _upload(client, inhoud: bytes, team):
    return client.post("/proactief/imports/", {"bestand": SimpleUploadedFile("export.csv", inhoud), "team": team.pk})


def _ronde(client):
    response = client.post("/proactief/rondes/", {"peildatum": PEILDATUM})
    assert response.status_code == 302
    return Ronde.objects.first()


@pytest.mark.django_db(transaction=True)
def test_upload_run_decide_and_the_next_run(client_km, km, km_team, voorbeeld_csv):
    response = _upload(client_km, voorbeeld_csv, km_team)
    assert response.status_code == 302
    detail = client_km.get(response["Location"])
    assert detail.status_code == 200
    assert detail.context["upload"].status == "klaar"
    assert Huishouden.objects.count() == 5

    ronde = _ronde(client_km)
    codes = set(ronde.per_regeling)
    assert "voorbeeldpas" in codes
    # H-1003 already receives the voorbeeldpas (column lopende_regelingen): not a candidate for it.
    jansen = Huishouden.objects.get(naam="Jansen")
    assert not Kandidaat.objects.filter(ronde=ronde, huishouden=jansen, regeling="voorbeeldpas").exists()
    # H-1005 has 25,000 euro savings: above the bijstand vermogensgrens, no candidate at all.
    assert not Kandidaat.objects.filter(ronde=ronde, huishouden__naam="Ramdin").exists()

    overzicht = client_km.get("/proactief/")
    assert overzicht.status_code == 200
    lijst = client_km.get("/proactief/regelingen/voorbeeldpas/")
    assert lijst.status_code == 200
    kandidaten = list(lijst.context["page"].object_list)
    assert {k.huishouden.naam for k in kandidaten} == {"el Amrani", "de Vries", "Bakker"}
    html = lijst.content.decode()
    assert "onder de grens van" in html

    kandidaat = next(k for k in kandidaten if k.huishouden.naam == "el Amrani")
    pagina = client_km.get(f"/proactief/kandidaten/{kandidaat.pk}/")
    assert pagina.status_code == 200
    assert pagina.context["uitleg"]["recht"] == "ja"
    assert AuditRegel.objects.filter(object_type="proactief_kandidaat", object_id=str(kandidaat.pk), actie="inzien").count() == 1

    response = client_km.post(f"/proactief/kandidaten/{kandidaat.pk}/", {"soort": "toekennen"})
    assert response.status_code == 302
    assert Ontvangst.objects.filter(huishouden=kandidaat.huishouden, regeling="voorbeeldpas", bron="toekenning").exists()
    besluit = Besluit.objects.get()
    assert (besluit.soort, besluit.genomen_door_id) == ("toekennen", km.pk)
    assert AuditRegel.objects.filter(object_type="proactief_besluit", object_id=str(besluit.pk), huishouden_id=kandidaat.huishouden_id).count() == 1
    # A second decision on the same candidate is refused.
    again = client_km.post(f"/proactief/kandidaten/{kandidaat.pk}/", {"soort": "brief"})
    assert again.status_code == 200
    assert again.context["form"].non_field_errors() == ["Over deze regeling voor dit huishouden is al besloten."]
    assert Besluit.objects.count() == 1

    # A letter for another candidate, then a "niet doen" without a reason is refused.
    vries = next(k for k in kandidaten if k.huishouden.naam == "de Vries")
    assert client_km.post(f"/proactief/kandidaten/{vries.pk}/", {"soort": "brief"}).status_code == 302
    pdf = client_km.get(f"/proactief/kandidaten/{vries.pk}/brief/")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    bakker = next(k for k in kandidaten if k.huishouden.naam == "Bakker")
    zonder_reden = client_km.post(f"/proactief/kandidaten/{bakker.pk}/", {"soort": "niet_doen", "reden": " "})
    assert zonder_reden.context["form"].errors == {"reden": ["Schrijf op waarom u niets doet."]}
    # Bakker opts out of everything.
    assert client_km.post(f"/proactief/kandidaten/{bakker.pk}/afmelden/", {"omvang": "alle"}).status_code == 302

    volgende = _ronde(client_km)
    nog = set(Kandidaat.objects.filter(ronde=volgende, regeling="voorbeeldpas").values_list("huishouden__naam", flat=True))
    assert nog == set()  # granted, letter sent, opted out
    assert not Kandidaat.objects.filter(ronde=volgende, huishouden=bakker.huishouden).exists()
    assert Kandidaat.objects.filter(ronde=volgende, huishouden=kandidaat.huishouden).exclude(regeling="voorbeeldpas").exists()


@pytest.mark.django_db(transaction=True)
def test_upload_of_a_file_with_wrong_columns_is_refused_whole(client_km, km_team):
    response = _upload(client_km, b"naam;bsn;adres\nJan;1;Straat\n", km_team)
    assert response.status_code == 200
    assert response.context["form"].errors["bestand"] == [(
        "Deze kolommen ontbreken: huishouden, rol, voornamen, achternaam, geboortedatum, straat, huisnummer, postcode. "
        "Deze kolommen kennen we niet: naam, adres. Er is niets ingelezen. Kijk in de handleiding welke kolommen nodig zijn."
    )]
    assert Huishouden.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_candidates_outside_the_caseload_are_hidden(client_km, km, km_team, voorbeeld_csv):
    _upload(client_km, voorbeeld_csv, km_team)
    ronde = _ronde(client_km)
    ander = GebruikerFactory(username="k.ander", rol=Rol.KLANTMANAGER, teams=[TeamFactory(naam="Zuid")])
    client = login_verified(Client(), ander)
    assert client.get("/proactief/regelingen/voorbeeldpas/").context["page"].paginator.count == 0
    kandidaat = Kandidaat.objects.filter(ronde=ronde).first()
    assert client.get(f"/proactief/kandidaten/{kandidaat.pk}/").status_code == 404
    assert client.get(f"/proactief/kandidaten/{kandidaat.pk}/brief/").status_code == 404
    assert client.post(f"/proactief/kandidaten/{kandidaat.pk}/", {"soort": "toekennen"}).status_code == 404
    assert Besluit.objects.count() == 0
    # each refusal is audited against the candidate's household; an unknown id has none
    geweigerd = AuditRegel.objects.filter(actor_id=ander.pk, resultaat="geweigerd", object_id=str(kandidaat.pk))
    assert list(geweigerd.values_list("huishouden_id", flat=True)) == [kandidaat.huishouden_id] * 3
    onbekend = Kandidaat.objects.order_by("-pk").first().pk + 1
    assert client.get(f"/proactief/kandidaten/{onbekend}/").status_code == 404
    assert AuditRegel.objects.get(actor_id=ander.pk, object_id=str(onbekend)).huishouden_id is None


@pytest.mark.django_db(transaction=True)
def test_wat_als_shows_aggregates_only_and_suppresses_small_groups(client_km, km_team, voorbeeld_csv):
    _upload(client_km, voorbeeld_csv, km_team)
    regisseur = GebruikerFactory(username="regisseur", rol=Rol.ARMOEDEREGISSEUR)
    client = login_verified(Client(), regisseur)
    response = client.get("/beleid/wat-als/", {"keuze": "voorbeeldpas|voorwaarden.inkomen.percentage_bijstandsnorm", "waarde": "125"})
    assert response.status_code == 200
    punten = response.context["punten"]
    assert [p.waarde for p in punten] == [100, 110, 120, 125, 130, 140, 150]
    assert all(p.huishoudens is None and p.kosten_per_jaar is None for p in punten)  # 5 households: all < 10
    html = response.content.decode()
    assert "minder dan 10" in html
    for persoonlijk in ("Amrani", "Vries", "980000002", "Lindelaan"):
        assert persoonlijk not in html
    assert "<svg" in html and "style=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]


@pytest.mark.django_db
def test_resident_opts_out_and_back_in(voorbeeld_csv, km):
    from perspectief.huishoudens.models import Persoon
    from perspectief.proactief.models import Afmelding
    from tests.factories import PASSWORD, InwonerFactory

    from .conftest import importeer

    importeer(km, voorbeeld_csv)
    persoon = Persoon.objects.get(voornamen="Fatima")
    inwoner = InwonerFactory(username="fatima", gemeente=km.gemeente, persoon=persoon)
    client = Client()
    assert client.post("/toegang/inwoner/demo/", {"username": inwoner.username, "password": PASSWORD}).status_code == 302
    assert "/proactief/mijn-keuze/" in client.get("/mijn-gegevens/").content.decode()
    assert client.get("/proactief/mijn-keuze/").context["afgemeld"] is False
    assert client.post("/proactief/mijn-keuze/", {"keuze": "geen_contact"}).status_code == 302
    afmelding = Afmelding.objects.get()
    assert (afmelding.huishouden_id, afmelding.regeling, afmelding.via) == (persoon.huishouden_id, "", "inwoner")
    assert client.get("/proactief/mijn-keuze/").context["afgemeld"] is True
    assert AuditRegel.objects.filter(object_type="proactief_afmelding", actie="aanmaken", huishouden_id=persoon.huishouden_id).count() == 1
    client.post("/proactief/mijn-keuze/", {"keuze": "wel_contact"})
    assert Afmelding.objects.count() == 0
    assert AuditRegel.objects.filter(object_type="proactief_afmelding", actie="verwijderen").count() == 1


@pytest.mark.django_db(transaction=True)
def test_wat_als_value_outside_the_schema_is_a_field_error(client_km, km_team, voorbeeld_csv):
    _upload(client_km, voorbeeld_csv, km_team)
    client = login_verified(Client(), GebruikerFactory(username="regisseur", rol=Rol.ARMOEDEREGISSEUR))
    response = client.get("/beleid/wat-als/", {"keuze": "voorbeeldpas|voorwaarden.inkomen.percentage_bijstandsnorm", "waarde": "400"})
    assert response.status_code == 200
    [melding] = response.context["form"].errors["waarde"]
    assert "300" in melding
    assert "punten" not in response.context


@pytest.mark.django_db
def test_pages_refuse_other_roles_and_log_it(km):
    budgetbeheerder = GebruikerFactory(username="b.beheer", rol=Rol.BUDGETBEHEERDER, teams=list(km.teams.all()))
    client = login_verified(Client(), budgetbeheerder)
    assert client.get("/proactief/").status_code == 403
    assert client.get("/beleid/wat-als/").status_code == 403
    assert AuditRegel.objects.filter(actor_id=budgetbeheerder.pk, resultaat="geweigerd").count() == 2


@pytest.mark.django_db
def test_import_page_polls_while_the_task_runs(client_km, km):
    from perspectief.proactief.models import Import

    upload = Import.objects.create(gemeente=km.gemeente, uitgevoerd_door=km, bestand_hash="a" * 64, status="bezig", voortgang=40)
    html = client_km.get(f"/proactief/imports/{upload.pk}/").content.decode()
    assert 'hx-trigger="every 2s"' in html and 'value="40"' in html
    deel = client_km.get(f"/proactief/imports/{upload.pk}/", HTTP_HX_REQUEST="true")
    assert [t.name for t in deel.templates] == ["proactief/_import_status.html"]
    Import.objects.filter(pk=upload.pk).update(status="klaar", voortgang=100)
    assert "hx-trigger" not in client_km.get(f"/proactief/imports/{upload.pk}/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_import_report_is_for_the_importer_and_the_team(client_km, km_team, voorbeeld_csv):
    response = _upload(client_km, voorbeeld_csv, km_team)
    collega = GebruikerFactory(username="k.collega", rol=Rol.KLANTMANAGER, teams=[km_team])
    ander = GebruikerFactory(username="k.ander", rol=Rol.KLANTMANAGER, teams=[TeamFactory(naam="Zuid")])
    assert login_verified(Client(), collega).get(response["Location"]).status_code == 200
    client_ander = login_verified(Client(), ander)
    assert client_ander.get(response["Location"]).status_code == 404
    assert list(client_ander.get("/proactief/").context["imports"]) == []
