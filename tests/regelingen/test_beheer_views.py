"""The beheer pages: only the functioneel beheerder, only their own gemeente; the YAML edit
with errors at their line, preview, publication."""

import datetime
import re

import pytest
from django.utils import timezone

from perspectief.audit.models import AuditRegel
from perspectief.regelingen import services
from perspectief.regelingen.constants import CatalogusStatus
from perspectief.regelingen.models import CatalogusVersie
from perspectief.toegang.constants import Rol

from ..conftest import login_verified
from ..factories import GebruikerFactory, GemeenteFactory
from .conftest import gepubliceerd


@pytest.fixture
def client_beheerder(client, beheerder):
    return login_verified(client, beheerder)


@pytest.mark.django_db
def test_list_shows_versions_with_status_and_who(client_beheerder, gemeente, beheerder, voorbeeld_yaml):
    gepubliceerd(gemeente=gemeente, actor=beheerder, tekst=voorbeeld_yaml, geldig_vanaf=datetime.date(2025, 1, 1))
    services.concept_aanmaken(actor=beheerder, gemeente=gemeente, toelichting="Hogere grens")
    response = client_beheerder.get("/beheer/regelingen/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vandaag geldt versie 1 (vanaf 1-1-2025)." in html
    assert "Verder met concept versie 2" in html
    assert "Hogere grens" in html
    assert [v.versie for v in response.context["versies"]] == [2, 1]


@pytest.mark.django_db
def test_new_concept_then_edit_with_errors_shown_at_their_line(client_beheerder, gemeente, voorbeeld_yaml):
    response = client_beheerder.post("/beheer/regelingen/nieuw/")
    versie = CatalogusVersie.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/beheer/regelingen/{versie.pk}/"
    kapot = voorbeeld_yaml.replace("      per_kind_per_jaar: 300\n", "      per_kind_per_jaar: -3\n", 1)
    response = client_beheerder.post(f"/beheer/regelingen/{versie.pk}/", {"yaml_tekst": kapot, "toelichting": "Test"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Opgeslagen, maar de regelingen hebben nog fouten." in html
    regel = kapot.split("\n").index("      per_kind_per_jaar: -3") + 1
    fout = re.search(r'<li class="regelingen-fout" data-regel="(\d+)" data-veld="([^"]+)">(.*?)</li>', html, re.S)
    assert fout.groups()[:2] == (str(regel), "regelingen[2].bedrag.per_kind_per_jaar")
    tekst = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", fout.group(3))).strip()
    assert tekst == (f"Regel {regel}, regelingen[2].bedrag.per_kind_per_jaar: Waarde -3 is te laag (minimaal 0). "
                     "Op die regel staat: per_kind_per_jaar: -3")
    assert 'aria-describedby="id_yaml_tekst_help id_yaml_tekst_error" aria-invalid="true"' in html
    versie.refresh_from_db()
    assert versie.yaml_tekst == kapot  # saved anyway: work in progress is not lost
    # publishing is refused while there are errors
    response = client_beheerder.post(f"/beheer/regelingen/{versie.pk}/publiceren/", {"geldig_vanaf": timezone.localdate().isoformat()})
    assert response.status_code == 200
    assert "Deze versie heeft nog 1 fout en kan niet worden gepubliceerd." in response.content.decode()
    versie.refresh_from_db()
    assert versie.status == CatalogusStatus.CONCEPT


@pytest.mark.django_db
def test_preview_then_publish_tomorrow(client_beheerder, gemeente, beheerder, voorbeeld_yaml):
    gepubliceerd(gemeente=gemeente, actor=beheerder, tekst=voorbeeld_yaml, geldig_vanaf=datetime.date(2025, 1, 1))
    versie = services.concept_aanmaken(actor=beheerder, gemeente=gemeente)
    response = client_beheerder.post(f"/beheer/regelingen/{versie.pk}/bedrag/", {
        "bedrag-regeling": "meedoenregeling_volwassenen", "bedrag-veld": "bedrag.per_volwassene_per_jaar", "bedrag-waarde": "300",
    })
    assert response.status_code == 302
    versie.refresh_from_db()
    assert "      per_volwassene_per_jaar: 300\n" in versie.yaml_tekst

    response = client_beheerder.get(f"/beheer/regelingen/{versie.pk}/voorbeeld/")
    assert response.status_code == 200
    html = response.content.decode()
    rij = re.search(r'<tr class="utrecht-table__row regelingen-veranderd" data-regeling="meedoenregeling_volwassenen">(.*?)</tr>', html, re.S)
    cellen = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", rij.group(1), re.S)]
    assert cellen == ["Meedoenregeling voor volwassenen", "ja", "€ 12,50", "ja", "€ 25,00", "ja"]
    assert "Wat is anders dan versie 1 (geldt vandaag)" in html
    erbij = re.search(r'<tr class="utrecht-table__row regelingen-verschil--erbij">(.*?)</tr>', html, re.S).group(1)
    assert "per_volwassene_per_jaar: 300" in erbij

    morgen = timezone.localdate() + datetime.timedelta(days=1)
    response = client_beheerder.post(f"/beheer/regelingen/{versie.pk}/publiceren/", {"geldig_vanaf": morgen.isoformat()})
    assert response.status_code == 302 and response["Location"] == "/beheer/regelingen/"
    versie.refresh_from_db()
    assert (versie.status, versie.geldig_vanaf) == (CatalogusStatus.GEPUBLICEERD, morgen)
    lijst = client_beheerder.get("/beheer/regelingen/").content.decode()
    assert lijst.count("(gaat later in)") == 1 and lijst.count("(geldt vandaag)") == 1
    # publishing another version now warns that version 2 takes over tomorrow
    derde = services.concept_aanmaken(actor=beheerder, gemeente=gemeente)
    html = client_beheerder.get(f"/beheer/regelingen/{derde.pk}/publiceren/").content.decode()
    assert "Let op: er staan al versies klaar die later ingaan." in html
    assert f"versie 2 vanaf {morgen.day}-{morgen.month}-{morgen.year}" in html


@pytest.mark.django_db
def test_publish_in_the_past_asks_for_confirmation(client_beheerder, gemeente, beheerder):
    versie = services.concept_aanmaken(actor=beheerder, gemeente=gemeente)
    vorige_week = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    response = client_beheerder.post(f"/beheer/regelingen/{versie.pk}/publiceren/", {"geldig_vanaf": vorige_week})
    assert response.status_code == 200
    assert "De datum ligt in het verleden. Vink dit aan als dat echt de bedoeling is." in response.content.decode()
    response = client_beheerder.post(
        f"/beheer/regelingen/{versie.pk}/publiceren/", {"geldig_vanaf": vorige_week, "verleden_bevestigd": "on"})
    assert response.status_code == 302
    assert CatalogusVersie.objects.get(pk=versie.pk).status == CatalogusStatus.GEPUBLICEERD


@pytest.mark.django_db
def test_published_version_is_read_only_and_can_be_withdrawn(client_beheerder, gemeente, beheerder, voorbeeld_yaml):
    versie = gepubliceerd(gemeente=gemeente, actor=beheerder, tekst=voorbeeld_yaml, geldig_vanaf=datetime.date(2025, 1, 1))
    response = client_beheerder.get(f"/beheer/regelingen/{versie.pk}/")
    assert response.status_code == 200
    assert "Deze versie kan niet meer veranderen." in response.content.decode()
    response = client_beheerder.post(f"/beheer/regelingen/{versie.pk}/", {"yaml_tekst": "x: 1", "toelichting": ""})
    assert response.status_code == 302
    assert CatalogusVersie.objects.get(pk=versie.pk).yaml_tekst == voorbeeld_yaml
    response = client_beheerder.post(f"/beheer/regelingen/{versie.pk}/intrekken/")
    assert response.status_code == 302
    assert CatalogusVersie.objects.get(pk=versie.pk).status == CatalogusStatus.INGETROKKEN


@pytest.mark.django_db
def test_other_gemeente_version_is_hidden_and_refusal_audited(client_beheerder, beheerder):
    elders = GemeenteFactory(naam="Anderdorp", cbs_code="GM9998", slug="anderdorp")
    versie = services.concept_aanmaken(actor=None, gemeente=elders)
    for pad in ("", "voorbeeld/", "publiceren/"):
        assert client_beheerder.get(f"/beheer/regelingen/{versie.pk}/{pad}").status_code == 404
    assert client_beheerder.post(f"/beheer/regelingen/{versie.pk}/intrekken/").status_code == 404
    assert CatalogusVersie.objects.get(pk=versie.pk).status == CatalogusStatus.CONCEPT
    geweigerd = AuditRegel.objects.filter(resultaat="geweigerd", actor_id=beheerder.pk)
    assert geweigerd.count() == 4
    assert set(geweigerd.values_list("object_id", flat=True)) == {str(versie.pk)}


@pytest.mark.django_db
def test_other_roles_are_refused(client, gemeente):
    regisseur = GebruikerFactory(rol=Rol.ARMOEDEREGISSEUR, gemeente=gemeente)
    login_verified(client, regisseur)
    assert client.get("/beheer/regelingen/").status_code == 403
    assert client.post("/beheer/regelingen/nieuw/").status_code == 403
    assert CatalogusVersie.objects.count() == 0


@pytest.mark.django_db
def test_new_concept_from_an_older_version(client_beheerder, gemeente, beheerder, voorbeeld_yaml):
    oud = gepubliceerd(gemeente=gemeente, actor=beheerder, tekst=voorbeeld_yaml, geldig_vanaf=datetime.date(2025, 1, 1))
    nieuwer = voorbeeld_yaml.replace("per_volwassene_per_jaar: 150", "per_volwassene_per_jaar: 175")
    gepubliceerd(gemeente=gemeente, actor=beheerder, tekst=nieuwer, geldig_vanaf=datetime.date(2025, 6, 1))
    assert "Nieuw concept op basis van versie 1" in client_beheerder.get(f"/beheer/regelingen/{oud.pk}/").content.decode()
    response = client_beheerder.post("/beheer/regelingen/nieuw/", {"van": oud.pk})
    concept = CatalogusVersie.objects.get(versie=3)
    assert response["Location"] == f"/beheer/regelingen/{concept.pk}/"
    assert concept.yaml_tekst == oud.yaml_tekst
    # a version of another gemeente cannot be copied
    elders = services.concept_aanmaken(actor=None, gemeente=GemeenteFactory(naam="Anderdorp", cbs_code="GM9998", slug="anderdorp"))
    assert client_beheerder.post("/beheer/regelingen/nieuw/", {"van": elders.pk}).status_code == 404
    assert client_beheerder.post("/beheer/regelingen/nieuw/", {"van": "x"}).status_code == 404
    assert CatalogusVersie.objects.filter(gemeente=gemeente).count() == 3


@pytest.mark.django_db
def test_amount_form_offers_every_amount_of_the_what_if(client_beheerder, gemeente, beheerder, voorbeeld_yaml):
    # One list (regelingen.constants.BEDRAG_SLEUTELS) feeds the beheerder's form and the
    # what-if; the form used to miss maximum_per_jaar and vast_per_maand.
    from perspectief.proactief.selectors import wat_als_keuzes
    from rekenregels import Catalogus

    tekst = voorbeeld_yaml.replace(
        "      per_volwassene_per_jaar: 150\n", "      per_volwassene_per_jaar: 150\n      maximum_per_jaar: 400\n", 1,
    )
    versie = services.concept_aanmaken(actor=beheerder, gemeente=gemeente, yaml_tekst=tekst)
    form = client_beheerder.get(f"/beheer/regelingen/{versie.pk}/").context["bedragform"]
    velden = {pad for pad, _label in form.fields["veld"].choices}
    assert {k.pad for k in wat_als_keuzes(catalogus=Catalogus.uit_yaml(tekst))} <= velden
    assert {"bedrag.vast_per_maand", "bedrag.maximum_per_jaar"} <= velden

    response = client_beheerder.post(f"/beheer/regelingen/{versie.pk}/bedrag/", {
        "bedrag-regeling": "meedoenregeling_volwassenen", "bedrag-veld": "bedrag.maximum_per_jaar", "bedrag-waarde": "250",
    })
    assert response.status_code == 302
    versie.refresh_from_db()
    assert "      maximum_per_jaar: 250\n" in versie.yaml_tekst


@pytest.mark.django_db
@pytest.mark.parametrize("geldig", [True, False])
def test_saving_a_concept_parses_the_yaml_once(client_beheerder, gemeente, beheerder, voorbeeld_yaml, monkeypatch, geldig):
    # The save path used to parse the text three times (service, view, amount form).
    from rekenregels import Catalogus

    echte_uit_yaml = Catalogus.uit_yaml.__func__
    teksten = []

    def tellend_uit_yaml(cls, tekst, **kwargs):
        teksten.append(tekst)
        return echte_uit_yaml(cls, tekst, **kwargs)

    versie = services.concept_aanmaken(actor=beheerder, gemeente=gemeente)
    monkeypatch.setattr(Catalogus, "uit_yaml", classmethod(tellend_uit_yaml))
    tekst = voorbeeld_yaml if geldig else voorbeeld_yaml.replace("per_kind_per_jaar: 100", "per_kind_per_jaar: -3", 1)
    response = client_beheerder.post(f"/beheer/regelingen/{versie.pk}/", {"yaml_tekst": tekst, "toelichting": ""})
    assert response.status_code == (302 if geldig else 200)
    assert teksten == [tekst]
