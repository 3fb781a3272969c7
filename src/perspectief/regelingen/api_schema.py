"""The OpenAPI document of the JSON API. The request and response schemas are the rules
engine's own JSON Schemas (``rekenregels.schema(...)``): one source of truth. Each engine
schema becomes a component; its ``$defs`` become components of their own, with the
references rewritten, because a ``#/$defs/...`` reference means nothing inside OpenAPI."""

from __future__ import annotations

import copy
import functools
from typing import Any

from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator

from rekenregels import schema as engine_schema

ENGINE_SCHEMAS = {
    "Huishouden": "huishouden",
    "Resultaat": "resultaat",
    "ArmoedevalInvoer": "armoedeval-invoer",
    "ArmoedevalResultaat": "armoedeval-resultaat",
    "GemeentelijkeRegelingen": "gemeentelijke-regelingen",
}

FOUT_SCHEMA = {
    "type": "object",
    "description": "Een fout: een code voor programma's en per veld een Nederlandse uitleg.",
    "required": ["fout", "fouten"],
    "properties": {
        "fout": {"type": "string", "description": "Soort fout, bijvoorbeeld 'ongeldige_invoer' of 'te_veel_verzoeken'."},
        "bron": {"type": "string"},
        "fouten": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["veld", "code", "bericht"],
                "properties": {
                    "veld": {"type": "string", "description": "Het veld, bijvoorbeeld 'personen[0].geboortedatum'."},
                    "code": {"type": "string", "description": "Machineleesbare code van het probleem."},
                    "bericht": {"type": "string", "description": "Uitleg in het Nederlands."},
                },
            },
        },
    },
}

REGELINGEN_ANTWOORD = {
    "type": "object",
    "required": ["gemeente", "peildatum", "bron", "versie", "geldig_vanaf", "regelingen"],
    "properties": {
        "gemeente": {
            "type": "object",
            "required": ["naam", "slug", "cbs_code"],
            "properties": {"naam": {"type": "string"}, "slug": {"type": "string"}, "cbs_code": {"type": "string"}},
        },
        "peildatum": {"type": "string", "format": "date"},
        "bron": {"enum": ["gepubliceerd", "meegeleverd", "geen"],
                 "description": "Gepubliceerd in Perspectief, meegeleverd met rekenregels, of geen regelingen."},
        "versie": {"type": ["integer", "null"]},
        "geldig_vanaf": {"type": ["string", "null"], "format": "date"},
        "regelingen": {"type": "array", "items": {"$ref": "#/components/schemas/GemeentelijkeRegelingen_regeling"}},
    },
}

# operationId -> (request component or None, {status: response component})
OPERATIES = {
    "berekening": ("Huishouden", {"200": "Resultaat", "400": "Fout", "413": "Fout", "429": "Fout"}),
    "armoedeval": ("ArmoedevalInvoer", {"200": "ArmoedevalResultaat", "400": "Fout", "413": "Fout", "429": "Fout"}),
    "gemeente_regelingen": (None, {"200": "RegelingenAntwoord", "400": "Fout", "404": "Fout", "429": "Fout"}),
}


def _herschreven(waarde: Any, naam: str) -> Any:
    if isinstance(waarde, dict):
        return {
            sleutel: (
                f"#/components/schemas/{naam}_{item.removeprefix('#/$defs/')}"
                if sleutel == "$ref" and isinstance(item, str) and item.startswith("#/$defs/")
                else _herschreven(item, naam)
            )
            for sleutel, item in waarde.items()
        }
    if isinstance(waarde, list):
        return [_herschreven(item, naam) for item in waarde]
    return waarde


def engine_components() -> dict[str, dict]:
    """The engine's schemas as OpenAPI components (OpenAPI 3.1 = JSON Schema 2020-12)."""
    componenten: dict[str, dict] = {}
    for naam, bestand in ENGINE_SCHEMAS.items():
        inhoud = copy.deepcopy(engine_schema(bestand))
        for sleutel in ("$schema", "$id"):
            inhoud.pop(sleutel, None)
        for def_naam, definitie in inhoud.pop("$defs", {}).items():
            componenten[f"{naam}_{def_naam}"] = _herschreven(definitie, naam)
        componenten[naam] = _herschreven(inhoud, naam)
    componenten["Fout"] = copy.deepcopy(FOUT_SCHEMA)
    componenten["RegelingenAntwoord"] = copy.deepcopy(REGELINGEN_ANTWOORD)
    return componenten


def _ref(naam: str) -> dict:
    return {"$ref": f"#/components/schemas/{naam}"}


def engine_schemas_hook(result: dict, generator, request, public) -> dict:
    """drf-spectacular postprocessing hook: plug the engine's schemas into the operations."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(engine_components())
    for pad in result.get("paths", {}).values():
        for operatie in pad.values():
            if not isinstance(operatie, dict) or operatie.get("operationId") not in OPERATIES:
                continue
            verzoek, antwoorden = OPERATIES[operatie["operationId"]]
            if verzoek:
                operatie["requestBody"] = {"required": True, "content": {"application/json": {"schema": _ref(verzoek)}}}
            for code, component in antwoorden.items():
                antwoord = operatie.setdefault("responses", {}).setdefault(code, {"description": ""})
                antwoord["content"] = {"application/json": {"schema": _ref(component)}}
    return result


@functools.lru_cache(maxsize=1)
def openapi_document() -> dict:
    """The OpenAPI document as served at /api/schema/ and written by `manage.py spectacular`
    (SPECTACULAR_SETTINGS installs `engine_schemas_hook`); built once per process."""
    return SchemaGenerator().get_schema(request=None, public=True)


def documentatie(request):
    """A server-rendered page that lists the operations and links the OpenAPI document;
    no external scripts, so it works under the strict Content-Security-Policy."""
    document = openapi_document()
    operaties = []
    for pad, methoden in document["paths"].items():
        for methode, operatie in methoden.items():
            operaties.append({
                "methode": methode.upper(), "pad": pad, "samenvatting": operatie.get("summary", ""),
                "beschrijving": operatie.get("description", ""),
                "verzoek": OPERATIES.get(operatie.get("operationId"), (None, {}))[0],
                "antwoorden": sorted(operatie.get("responses", {}).items()),
                "parameters": [p for p in operatie.get("parameters", []) if p.get("in") == "query"],
            })
    return render(request, "regelingen/api_documentatie.html", {"operaties": operaties, "document": document})
