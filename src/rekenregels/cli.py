"""Command line: JSON on stdin, JSON on stdout.

    python -m rekenregels bereken < huishouden.json
    python -m rekenregels bereken --catalogus eigen-catalogus.yaml < huishouden.json
    python -m rekenregels armoedeval < armoedeval.json
    python -m rekenregels schema huishouden|resultaat|armoedeval-invoer|armoedeval-resultaat|gemeentelijke-regelingen
    python -m rekenregels catalogus-controleren pad/naar/catalogus.yaml

Exit codes: 0 success, 2 invalid input (errors as JSON on stdout), 3 no parameters for the date.
"""

from __future__ import annotations

import argparse
import json
import sys

from .armoedeval import armoedeval
from .berekening import bereken
from .fouten import CatalogusFout, Fout, InvoerFout, ParameterOntbreekt
from .gemeentelijk import Catalogus
from .invoer import schema

SCHEMAS = (
    "huishouden",
    "resultaat",
    "armoedeval-invoer",
    "armoedeval-resultaat",
    "gemeentelijke-regelingen",
)


def _lees_json(stdin) -> object:
    tekst = stdin.read()
    try:
        return json.loads(tekst)
    except json.JSONDecodeError as exc:
        raise InvoerFout(
            [
                Fout(
                    "(invoer)",
                    "geen_json",
                    f"De invoer is geen geldige JSON (regel {exc.lineno}, kolom {exc.colno}).",
                )
            ]
        ) from None


def main(argv: list[str] | None = None, stdin=None, stdout=None) -> int:
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    gemeenschappelijk = argparse.ArgumentParser(add_help=False)
    gemeenschappelijk.add_argument(
        "--compact", action="store_true", default=argparse.SUPPRESS, help="JSON zonder inspringing"
    )
    parser = argparse.ArgumentParser(
        prog="python -m rekenregels",
        parents=[gemeenschappelijk],
        description="Rekenregels: toeslagen, bijstand, belasting en gemeentelijke regelingen.",
    )
    sub = parser.add_subparsers(dest="opdracht", required=True)
    met_catalogus = argparse.ArgumentParser(add_help=False)
    met_catalogus.add_argument(
        "--catalogus",
        metavar="PAD",
        help="Gebruik deze catalogus (YAML) in plaats van de gemeente uit de invoer",
    )
    sub.add_parser(
        "bereken",
        parents=[gemeenschappelijk, met_catalogus],
        help="Eén huishouden (JSON op stdin) doorrekenen",
    )
    sub.add_parser(
        "armoedeval",
        parents=[gemeenschappelijk, met_catalogus],
        help="Besteedbaar inkomen voor 0 tot 40 uur werken",
    )
    schema_parser = sub.add_parser(
        "schema", parents=[gemeenschappelijk], help="Een JSON Schema van het contract tonen"
    )
    schema_parser.add_argument("naam", choices=SCHEMAS)
    controle = sub.add_parser(
        "catalogus-controleren",
        parents=[gemeenschappelijk],
        help="Een catalogus met gemeentelijke regelingen controleren",
    )
    controle.add_argument("pad")
    argumenten = parser.parse_args(argv)
    inspringing = None if getattr(argumenten, "compact", False) else 2

    def schrijf(inhoud) -> None:
        json.dump(inhoud, stdout, ensure_ascii=False, indent=inspringing, allow_nan=False)
        stdout.write("\n")

    try:
        catalogus = None
        if getattr(argumenten, "catalogus", None):
            catalogus = Catalogus.uit_bestand(argumenten.catalogus)
        if argumenten.opdracht == "bereken":
            schrijf(bereken(_lees_json(stdin), catalogus=catalogus))
        elif argumenten.opdracht == "armoedeval":
            schrijf(armoedeval(_lees_json(stdin), catalogus=catalogus))
        elif argumenten.opdracht == "schema":
            schrijf(schema(argumenten.naam))
        elif argumenten.opdracht == "catalogus-controleren":
            catalogus = Catalogus.uit_bestand(argumenten.pad)
            schrijf(
                {
                    "geldig": True,
                    "gemeente": catalogus.gemeente,
                    "regelingen": [r["code"] for r in catalogus.regelingen],
                }
            )
    except (InvoerFout, CatalogusFout) as fout:
        schrijf(fout.als_dict())
        return 2
    except ParameterOntbreekt as fout:
        schrijf(fout.als_dict())
        return 3
    return 0
