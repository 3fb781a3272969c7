"""Turning JSON Schema violations into field-named, machine-readable errors with Dutch messages."""

from __future__ import annotations

from typing import Any

import jsonschema

from .fouten import Fout


def schemafouten(validator: jsonschema.protocols.Validator, data: Any) -> list[Fout]:
    """All schema violations of ``data`` as :class:`Fout` objects, sorted by field."""
    fouten = []
    for fout in sorted(validator.iter_errors(data), key=lambda f: list(map(str, f.absolute_path))):
        veld, bericht = _bericht(fout)
        fouten.append(Fout(veld, f"schema_{fout.validator}", bericht))
    return fouten


def _veldpad(pad) -> str:
    tekst = ""
    for deel in pad:
        tekst += f"[{deel}]" if isinstance(deel, int) else (f".{deel}" if tekst else str(deel))
    return tekst or "(catalogus)"


def _bericht(fout: jsonschema.ValidationError) -> tuple[str, str]:
    """A field path and a Dutch message for one schema violation."""
    veld = _veldpad(fout.absolute_path)
    soort = fout.validator
    if soort == "required":
        ontbrekend = fout.message.split("'")[1] if "'" in fout.message else "?"
        return _veldpad(
            list(fout.absolute_path) + [ontbrekend]
        ), f"Verplicht veld '{ontbrekend}' ontbreekt."
    if soort == "additionalProperties":
        toegestaan = set(fout.schema.get("properties", {}))
        onbekend = sorted(set(fout.instance) - toegestaan)
        return veld, (
            f"Onbekend veld {', '.join(repr(o) for o in onbekend)}. "
            f"Toegestaan zijn: {', '.join(sorted(toegestaan))}."
        )
    if soort == "type":
        namen = {
            "string": "tekst",
            "number": "getal",
            "integer": "geheel getal",
            "boolean": "ja/nee (true/false)",
            "object": "groep velden",
            "array": "lijst",
        }
        verwacht = fout.validator_value
        verwacht = (
            " of ".join(namen.get(v, v) for v in verwacht)
            if isinstance(verwacht, list)
            else namen.get(verwacht, verwacht)
        )
        return veld, f"Verwacht {verwacht}, maar gevonden: {fout.instance!r}."
    if soort in ("minimum", "exclusiveMinimum"):
        return veld, f"Waarde {fout.instance} is te laag (minimaal {fout.validator_value})."
    if soort in ("maximum", "exclusiveMaximum"):
        return veld, f"Waarde {fout.instance} is te hoog (maximaal {fout.validator_value})."
    if soort == "pattern":
        return veld, f"Waarde {fout.instance!r} heeft niet de juiste vorm."
    if soort == "enum":
        keuzes = ", ".join(repr(k) for k in fout.validator_value)
        return veld, f"Waarde {fout.instance!r} is niet toegestaan. Kies uit: {keuzes}."
    if soort == "minItems":
        return veld, "De lijst mag niet leeg zijn."
    if soort == "minProperties":
        return veld, "Geef minstens één bedrag op."
    if soort == "uniqueItems":
        return veld, "Elke waarde mag maar één keer in de lijst staan."
    if soort == "minLength":
        return veld, "Dit veld mag niet leeg zijn."
    if soort == "format":
        return veld, f"Waarde {fout.instance!r} is geen geldige datum (JJJJ-MM-DD)."
    if soort == "oneOf":
        return veld, "Geef precies één van 'bruto_per_maand' of 'bruto_per_jaar'."
    return veld, f"Ongeldige waarde ({fout.message})."
