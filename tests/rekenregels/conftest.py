"""Shared helpers for the rekenregels tests (pure Python: no Django needed)."""

from __future__ import annotations

import copy
import re

import pytest

_DEEL = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def zet_pad(data: dict, pad: str, waarde) -> None:
    """Set ``a.b[0].c`` in nested dicts and lists (creating dicts as needed)."""
    delen = [(m.group(1), m.group(2)) for m in _DEEL.finditer(pad)]
    knoop = data
    for index, (sleutel, nummer) in enumerate(delen):
        laatste = index == len(delen) - 1
        doel = int(nummer) if nummer is not None else sleutel
        if laatste:
            if waarde is None and isinstance(knoop, dict):
                knoop.pop(doel, None)
            else:
                knoop[doel] = waarde
            return
        if isinstance(doel, str) and doel not in knoop:
            knoop[doel] = {}
        knoop = knoop[doel]


def huishouden(**overschrijf) -> dict:
    """A basic household (single adult, no income, no vermogen, renting) with overrides."""
    basis = {
        "peildatum": "2025-03-01",
        "personen": [
            {
                "id": "aanvrager",
                "rol": "aanvrager",
                "geboortedatum": "1990-06-15",
                "inkomsten": [],
                "vermogen": 0,
            }
        ],
        "woning": {"soort": "huur", "kale_huur_per_maand": 600, "servicekosten_per_maand": 0},
    }
    data = copy.deepcopy(basis)
    for pad, waarde in overschrijf.items():
        zet_pad(data, pad.replace("__", "."), waarde)
    return data


@pytest.fixture
def maak_huishouden():
    return huishouden
