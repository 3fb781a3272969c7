"""Errors of the rules engine.

Every error that can reach a person or an API client carries a machine-readable code, the
field it concerns and a Dutch message. Internally they are ordinary exceptions.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Fout:
    """One problem with the input: which field, what kind of problem, and a Dutch message."""

    veld: str
    code: str
    bericht: str

    def als_dict(self) -> dict[str, str]:
        return asdict(self)


class RekenregelsFout(Exception):
    """Base class for all errors raised by rekenregels."""


class InvoerFout(RekenregelsFout):
    """The household (or armoedeval) input is missing facts or contains impossible facts."""

    def __init__(self, fouten: list[Fout]):
        self.fouten = list(fouten)
        super().__init__("; ".join(f"{fout.veld}: {fout.bericht}" for fout in self.fouten))

    def als_dict(self) -> dict:
        return {"fout": "ongeldige_invoer", "fouten": [fout.als_dict() for fout in self.fouten]}


class ParameterOntbreekt(RekenregelsFout):
    """A parameter has no value for the requested date: never silently zero."""

    def __init__(self, pad: str, datum, toelichting: str = ""):
        self.pad = pad
        self.datum = datum
        bericht = f"Parameter '{pad}' heeft geen waarde op {datum}."
        if toelichting:
            bericht += f" {toelichting}"
        super().__init__(bericht)

    def als_dict(self) -> dict:
        return {
            "fout": "parameter_ontbreekt",
            "fouten": [
                {
                    "veld": "peildatum",
                    "code": "parameter_ontbreekt",
                    "bericht": str(self),
                }
            ],
        }


class CatalogusFout(RekenregelsFout):
    """A municipal scheme catalogue does not follow the schema or is inconsistent."""

    def __init__(self, fouten: list[Fout], bron: str = ""):
        self.fouten = list(fouten)
        self.bron = bron
        prefix = f"{bron}: " if bron else ""
        super().__init__(prefix + "; ".join(f"{fout.veld}: {fout.bericht}" for fout in self.fouten))

    def als_dict(self) -> dict:
        return {
            "fout": "ongeldige_catalogus",
            "bron": self.bron,
            "fouten": [fout.als_dict() for fout in self.fouten],
        }
