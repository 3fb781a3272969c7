"""Dated parameters with unit and source, loaded from YAML.

A parameter file looks like this::

    dekking: {van: 2025-01-01, tot: 2026-12-31}
    zorgtoeslag:
      standaardpremie:
        omschrijving: Standaardpremie zorgverzekering
        eenheid: EUR/jaar
        wet: Wet op de zorgtoeslag, artikel 1 en 4
        waarden:
          2025-01-01: {waarde: 2112, bron: "https://..."}
          2026-01-01: {waarde: 2119, bron: "https://...", bevestigd: false, toelichting: "..."}

A node with a ``waarden`` key is a parameter; every other mapping is a group. The value in
force on a date is the one with the latest start date on or before that date. A date before
the first value, or after the file's ``dekking.tot``, raises :class:`ParameterOntbreekt`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .fouten import ParameterOntbreekt

PARAMETER_MAP = Path(__file__).parent / "parameters"


@functools.lru_cache(maxsize=1)
def standaard_parameters() -> Parameters:
    """The shipped parameters (loaded once per process)."""
    return Parameters.laad()


@dataclass(frozen=True)
class Waarde:
    """One dated value of a parameter."""

    vanaf: dt.date
    waarde: Any
    bron: str
    bevestigd: bool = True
    toelichting: str = ""


@dataclass
class Parameter:
    """A named parameter with its dated values."""

    pad: str
    omschrijving: str
    eenheid: str
    wet: str
    waarden: list[Waarde]
    dekking_tot: dt.date | None = None

    def waarde_op(self, datum: dt.date) -> Waarde:
        if self.dekking_tot is not None and datum > self.dekking_tot:
            raise ParameterOntbreekt(
                self.pad,
                datum,
                f"De parameters zijn vastgesteld tot en met {self.dekking_tot.isoformat()}.",
            )
        gekozen: Waarde | None = None
        for waarde in self.waarden:
            if waarde.vanaf <= datum:
                gekozen = waarde
            else:
                break
        if gekozen is None:
            eerste = self.waarden[0].vanaf.isoformat() if self.waarden else "nooit"
            raise ParameterOntbreekt(self.pad, datum, f"De eerste waarde geldt vanaf {eerste}.")
        return gekozen


def _als_datum(sleutel: Any, context: str) -> dt.date:
    if isinstance(sleutel, dt.date):
        return sleutel
    try:
        return dt.date.fromisoformat(str(sleutel))
    except ValueError as exc:
        raise ValueError(f"{context}: '{sleutel}' is geen ISO-datum") from exc


class Parameters:
    """All parameters, addressable by dotted path (``zorgtoeslag.standaardpremie``)."""

    def __init__(self, parameters: dict[str, Parameter]):
        self._parameters = parameters

    @classmethod
    def laad(cls, map_: Path | str | None = None) -> Parameters:
        """Load every ``*.yaml`` file in the parameter directory (default: the shipped one)."""
        map_ = Path(map_) if map_ is not None else PARAMETER_MAP
        parameters: dict[str, Parameter] = {}
        for bestand in sorted(map_.glob("*.yaml")):
            with open(bestand, encoding="utf-8") as handle:
                inhoud = yaml.safe_load(handle) or {}
            dekking = inhoud.pop("dekking", {}) or {}
            dekking_tot = _als_datum(dekking["tot"], bestand.name) if "tot" in dekking else None
            for pad, knoop in _bladeren(inhoud, ""):
                if pad in parameters:
                    raise ValueError(f"{bestand.name}: parameter '{pad}' is dubbel gedefinieerd")
                parameters[pad] = _maak_parameter(pad, knoop, dekking_tot, bestand.name)
        return cls(parameters)

    def __getitem__(self, pad: str) -> Parameter:
        try:
            return self._parameters[pad]
        except KeyError:
            raise KeyError(f"Onbekende parameter '{pad}'") from None

    def __contains__(self, pad: str) -> bool:
        return pad in self._parameters

    def __iter__(self) -> Iterator[str]:
        return iter(self._parameters)

    def op(self, datum: dt.date) -> ParameterMoment:
        """The parameters as they are on one date, with a cache."""
        return ParameterMoment(self, datum)

    def met_waarde(self, pad: str, vanaf: dt.date, waarde: Any, bron: str) -> Parameters:
        """A copy in which ``pad`` gets an extra dated value (for reforms and what-ifs)."""
        kopie = dict(self._parameters)
        oud = self[pad]
        nieuwe_waarden = sorted(
            [w for w in oud.waarden if w.vanaf != vanaf] + [Waarde(vanaf, waarde, bron)],
            key=lambda w: w.vanaf,
        )
        kopie[pad] = Parameter(
            oud.pad, oud.omschrijving, oud.eenheid, oud.wet, nieuwe_waarden, oud.dekking_tot
        )
        return Parameters(kopie)


def _bladeren(knoop: dict, prefix: str) -> Iterator[tuple[str, dict]]:
    for sleutel, kind in knoop.items():
        pad = f"{prefix}.{sleutel}" if prefix else str(sleutel)
        if isinstance(kind, dict) and "waarden" in kind:
            yield pad, kind
        elif isinstance(kind, dict):
            yield from _bladeren(kind, pad)
        else:
            raise ValueError(f"'{pad}' is geen parameter (ontbrekende 'waarden') en geen groep")


def _maak_parameter(pad: str, knoop: dict, dekking_tot: dt.date | None, bestand: str) -> Parameter:
    for verplicht in ("omschrijving", "eenheid", "waarden"):
        if verplicht not in knoop:
            raise ValueError(f"{bestand}: parameter '{pad}' mist '{verplicht}'")
    waarden = []
    for sleutel, item in knoop["waarden"].items():
        datum = _als_datum(sleutel, f"{bestand}: {pad}")
        if not isinstance(item, dict) or "waarde" not in item or "bron" not in item:
            raise ValueError(f"{bestand}: {pad} op {datum}: 'waarde' en 'bron' zijn verplicht")
        waarden.append(
            Waarde(
                datum,
                item["waarde"],
                str(item["bron"]),
                bool(item.get("bevestigd", True)),
                str(item.get("toelichting", "")),
            )
        )
    waarden.sort(key=lambda w: w.vanaf)
    return Parameter(
        pad,
        str(knoop["omschrijving"]),
        str(knoop["eenheid"]),
        str(knoop.get("wet", "")),
        waarden,
        dekking_tot,
    )


@dataclass
class ParameterGebruik:
    """A parameter value as used in a calculation: what the explanation shows."""

    pad: str
    omschrijving: str
    waarde: Any
    eenheid: str
    vanaf: str
    bron: str
    wet: str
    bevestigd: bool
    toelichting: str

    def als_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class ParameterMoment:
    """Parameters on one date. Calling it with a path returns the value in force."""

    parameters: Parameters
    datum: dt.date
    _cache: dict[str, Waarde] = field(default_factory=dict)

    def __call__(self, pad: str) -> Any:
        return self.waarde(pad).waarde

    def waarde(self, pad: str) -> Waarde:
        gevonden = self._cache.get(pad)
        if gevonden is None:
            gevonden = self.parameters[pad].waarde_op(self.datum)
            self._cache[pad] = gevonden
        return gevonden

    def gebruik(self, pad: str) -> ParameterGebruik:
        parameter = self.parameters[pad]
        waarde = self.waarde(pad)
        return ParameterGebruik(
            pad,
            parameter.omschrijving,
            waarde.waarde,
            parameter.eenheid,
            waarde.vanaf.isoformat(),
            waarde.bron,
            parameter.wet,
            waarde.bevestigd,
            waarde.toelichting,
        )
