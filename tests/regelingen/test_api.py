"""The JSON API: the engine's contract over HTTP, the published catalogue on the peildatum,
Dutch field-named errors, throttling, the OpenAPI document built from the engine's schemas."""

import copy
import datetime
import json
import logging

import jsonschema
import pytest
import yaml
from openapi_spec_validator import validate as validate_openapi
from rest_framework.throttling import AnonRateThrottle

from perspectief.audit.models import AuditRegel
from perspectief.regelingen import services
from perspectief.regelingen.api_schema import openapi_document
from perspectief.regelingen.models import CatalogusVersie
from rekenregels import bereken, laad_catalogus

from .conftest import gepubliceerd

ALLEENSTAAND = {
    "peildatum": "2026-03-01",
    "gemeente": "voorbeeld",
    "personen": [{"id": "a", "rol": "aanvrager", "geboortedatum": "1988-04-17", "inkomsten": [], "vermogen": 0}],
    "woning": {"soort": "huur", "kale_huur_per_maand": 650},
}
GEZIN = {
    "peildatum": "2026-03-01",
    "gemeente": "GM9999",
    "personen": [
        {"id": "a", "rol": "aanvrager", "geboortedatum": "1991-02-03",
         "inkomsten": [{"soort": "loon", "bruto_per_maand": 1400}], "vermogen": 500},
        {"id": "k1", "rol": "kind", "geboortedatum": "2018-06-01"},
        {"id": "k2", "rol": "kind", "geboortedatum": "2012-09-15"},
    ],
    "woning": {"soort": "huur", "kale_huur_per_maand": 720},
    "maanden_laag_inkomen": 40,
}
GOLDEN = {"alleenstaand": ALLEENSTAAND, "gezin": GEZIN}


def _post(client, pad, data):
    return client.post(pad, json.dumps(data), content_type="application/json")


def _schema_validator(component: str):
    document = openapi_document()
    return jsonschema.Draft202012Validator(
        {"$ref": f"#/components/schemas/{component}", "components": document["components"]}
    )


def _bedrag(resultaat, code):
    return next(r for r in resultaat["regelingen"] if r["code"] == code)["bedrag_per_maand"]


@pytest.mark.django_db
@pytest.mark.parametrize("naam", GOLDEN)
def test_berekening_matches_the_engine_and_the_published_schema(client, naam):
    response = _post(client, "/api/v1/berekening/", GOLDEN[naam])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    # No version published in the platform: the shipped catalogue, exactly as the engine/CLI.
    assert body == json.loads(json.dumps(bereken(copy.deepcopy(GOLDEN[naam]))))
    _schema_validator("Resultaat").validate(body)


@pytest.mark.django_db
def test_berekening_uses_the_version_published_for_the_peildatum(client, gemeente, beheerder, voorbeeld_yaml):
    gepubliceerd(gemeente=gemeente, actor=beheerder, tekst=voorbeeld_yaml, geldig_vanaf=datetime.date(2025, 1, 1))
    hoger = voorbeeld_yaml.replace("per_volwassene_per_jaar: 150", "per_volwassene_per_jaar: 300")
    gepubliceerd(gemeente=gemeente, actor=beheerder, tekst=hoger, geldig_vanaf=datetime.date(2026, 6, 1))
    voor = _post(client, "/api/v1/berekening/", ALLEENSTAAND).json()
    na = _post(client, "/api/v1/berekening/", {**ALLEENSTAAND, "peildatum": "2026-06-01"}).json()
    assert (_bedrag(voor, "meedoenregeling_volwassenen"), _bedrag(na, "meedoenregeling_volwassenen")) == (12.5, 25.0)
    assert na["waarschuwingen"] == [] or all(w["code"] != "catalogus_niet_geldig_op_peildatum" for w in na["waarschuwingen"])


@pytest.mark.django_db
def test_berekening_before_any_published_version_has_only_national_schemes(client, gemeente, beheerder, voorbeeld_yaml):
    gepubliceerd(gemeente=gemeente, actor=beheerder, tekst=voorbeeld_yaml, geldig_vanaf=datetime.date(2026, 6, 1))
    body = _post(client, "/api/v1/berekening/", ALLEENSTAAND).json()
    assert body["gemeente"] is None
    assert {r["soort"] for r in body["regelingen"]} == {"landelijk"}


@pytest.mark.django_db
def test_berekening_errors_are_field_named_and_dutch(client):
    kapot = copy.deepcopy(ALLEENSTAAND)
    kapot["personen"][0]["geboortedatum"] = "2030-01-01"
    kapot["woning"]["kale_huur_per_maand"] = -5
    response = _post(client, "/api/v1/berekening/", kapot)
    assert response.status_code == 400
    body = response.json()
    _schema_validator("Fout").validate(body)
    assert body["fout"] == "ongeldige_invoer"
    assert [(f["veld"], f["code"]) for f in body["fouten"]] == [("woning.kale_huur_per_maand", "schema_minimum")]
    kapot["woning"]["kale_huur_per_maand"] = 500
    body = _post(client, "/api/v1/berekening/", kapot).json()
    assert body["fouten"] == [{"veld": "personen[0].geboortedatum", "code": "na_peildatum",
                               "bericht": "De geboortedatum ligt na de peildatum."}]


@pytest.mark.django_db
def test_unknown_gemeente_is_an_input_error(client):
    body = _post(client, "/api/v1/berekening/", {**ALLEENSTAAND, "gemeente": "atlantis"}).json()
    assert [(f["veld"], f["code"]) for f in body["fouten"]] == [("gemeente", "onbekende_gemeente")]


@pytest.mark.django_db
def test_not_json_and_wrong_method(client):
    response = client.post("/api/v1/berekening/", "{kapot", content_type="application/json")
    assert (response.status_code, response.json()["fouten"][0]["code"]) == (400, "geen_json")
    response = client.post("/api/v1/berekening/", {"peildatum": "2026-01-01"})
    assert (response.status_code, response.json()["fout"]) == (415, "ongeldig_formaat")
    response = client.get("/api/v1/berekening/")
    assert response.status_code == 405
    assert response.json()["fouten"][0]["bericht"] == "De methode GET kan hier niet."
    response = client.post("/api/v1/berekening/", "[" + "1," * 40_000 + "1]", content_type="application/json")
    assert (response.status_code, response.json()["fout"]) == (413, "invoer_te_groot")
    response = _post(client, "/api/v1/berekening/", [1, 2])
    assert (response.status_code, response.json()["fouten"][0]["code"]) == (400, "geen_object")


@pytest.mark.django_db
def test_armoedeval_matches_the_schema(client):
    response = _post(client, "/api/v1/armoedeval/", {"huishouden": GEZIN, "uurloon": 14.4})
    assert response.status_code == 200
    body = response.json()
    _schema_validator("ArmoedevalResultaat").validate(body)
    assert [punt["uren_per_week"] for punt in body["punten"]][:3] == [0, 1, 2]
    assert body["gemeente"]["cbs_code"] == "GM9999"
    response = _post(client, "/api/v1/armoedeval/", {"huishouden": {**GEZIN, "peildatum": "gisteren"}})
    assert response.status_code == 400
    assert response.json()["fouten"][0]["veld"].startswith("huishouden.peildatum")


@pytest.mark.django_db
def test_regelingen_of_a_gemeente(client, gemeente, beheerder, voorbeeld_yaml):
    response = client.get("/api/v1/gemeenten/voorbeeld/regelingen/?peildatum=2026-03-01")
    body = response.json()
    _schema_validator("RegelingenAntwoord").validate(body)
    assert (body["bron"], body["versie"], len(body["regelingen"])) == ("meegeleverd", None, 12)
    morgen = datetime.date.today() + datetime.timedelta(days=1)
    versie = services.concept_aanmaken(actor=beheerder, gemeente=gemeente, yaml_tekst=voorbeeld_yaml)
    services.concept_publiceren(actor=beheerder, versie=versie, geldig_vanaf=morgen)
    vandaag = client.get("/api/v1/gemeenten/voorbeeld/regelingen/").json()
    later = client.get(f"/api/v1/gemeenten/voorbeeld/regelingen/?peildatum={morgen.isoformat()}").json()
    assert (vandaag["bron"], vandaag["regelingen"]) == ("geen", [])
    assert (later["bron"], later["versie"], later["geldig_vanaf"]) == ("gepubliceerd", 1, morgen.isoformat())
    assert later["regelingen"] == laad_catalogus("voorbeeld").regelingen
    assert client.get("/api/v1/gemeenten/atlantis/regelingen/").status_code == 404
    fout = client.get("/api/v1/gemeenten/voorbeeld/regelingen/?peildatum=morgen")
    assert (fout.status_code, fout.json()["fouten"][0]["veld"]) == (400, "peildatum")


@pytest.mark.django_db
def test_anonymous_use_is_throttled_with_a_dutch_429(client, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    statussen = [_post(client, "/api/v1/berekening/", ALLEENSTAAND).status_code for _ in range(4)]
    assert statussen == [200, 200, 200, 429]
    response = _post(client, "/api/v1/berekening/", ALLEENSTAAND)
    body = response.json()
    assert body["fout"] == "te_veel_verzoeken"
    assert body["fouten"][0]["bericht"].startswith("U heeft te veel verzoeken gedaan. Probeer het over ")
    assert 1 <= int(response["Retry-After"]) <= 60
    # a made-up X-Forwarded-For does not start a new count
    vervalst = client.post("/api/v1/berekening/", json.dumps(ALLEENSTAAND), content_type="application/json",
                           HTTP_X_FORWARDED_FOR="192.0.2.55")
    assert vervalst.status_code == 429
    # another client address has its own count
    assert _post(client.__class__(REMOTE_ADDR="198.51.100.7"), "/api/v1/berekening/", ALLEENSTAAND).status_code == 200


@pytest.mark.django_db
def test_no_personal_data_is_stored_or_logged(client, caplog):
    caplog.set_level(logging.DEBUG)
    audit_voor, versies_voor = AuditRegel.objects.count(), CatalogusVersie.objects.count()
    _post(client, "/api/v1/berekening/", ALLEENSTAAND)
    kapot = {**ALLEENSTAAND, "personen": [{**ALLEENSTAAND["personen"][0], "geboortedatum": "1988-13-45"}]}
    _post(client, "/api/v1/berekening/", kapot)
    assert (AuditRegel.objects.count(), CatalogusVersie.objects.count()) == (audit_voor, versies_voor)
    alles = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert "1988-04-17" not in alles and "1988-13-45" not in alles


# --- OpenAPI ----------------------------------------------------------------------------------


def test_openapi_document_is_valid_and_uses_the_engine_schemas():
    document = openapi_document()
    validate_openapi(document)
    schemas = document["components"]["schemas"]
    assert schemas["Huishouden"]["properties"]["personen"]["items"] == {"$ref": "#/components/schemas/Huishouden_persoon"}
    assert "$id" not in schemas["Huishouden"] and "$defs" not in schemas["Huishouden"]
    verwijzingen = set()

    def verzamel(waarde):
        if isinstance(waarde, dict):
            if isinstance(waarde.get("$ref"), str):
                verwijzingen.add(waarde["$ref"])
            for item in waarde.values():
                verzamel(item)
        elif isinstance(waarde, list):
            for item in waarde:
                verzamel(item)

    verzamel(document)
    assert {ref.removeprefix("#/components/schemas/") for ref in verwijzingen} <= set(schemas)
    operaties = {(pad, methode): op["operationId"] for pad, ops in document["paths"].items() for methode, op in ops.items()}
    assert operaties == {
        ("/api/v1/berekening/", "post"): "berekening",
        ("/api/v1/armoedeval/", "post"): "armoedeval",
        ("/api/v1/gemeenten/{slug}/regelingen/", "get"): "gemeente_regelingen",
    }


@pytest.mark.django_db
def test_schema_served_as_yaml_and_json(client):
    als_json = client.get("/api/schema/?format=json")
    assert als_json.status_code == 200
    assert {"Huishouden", "Resultaat", "ArmoedevalInvoer", "ArmoedevalResultaat", "Fout"} <= set(als_json.json()["components"]["schemas"])
    als_yaml = client.get("/api/schema/")
    assert als_yaml.status_code == 200
    assert yaml.safe_load(als_yaml.content)["paths"].keys() == als_json.json()["paths"].keys()


@pytest.mark.django_db
def test_documentation_page_lists_the_operations_without_external_assets(client):
    response = client.get("/api/")
    assert response.status_code == 200
    html = response.content.decode()
    for tekst in ("POST /api/v1/berekening/", "POST /api/v1/armoedeval/", "GET /api/v1/gemeenten/{slug}/regelingen/", 'href="/api/schema/?format=json"'):
        assert tekst in html
    assert "<script>" not in html and "cdn" not in html.lower()


def test_manage_py_spectacular_validates_and_writes_the_same_document(tmp_path):
    from django.core.management import call_command

    pad = tmp_path / "openapi.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(pad))
    assert yaml.safe_load(pad.read_text()) == json.loads(json.dumps(openapi_document()))
