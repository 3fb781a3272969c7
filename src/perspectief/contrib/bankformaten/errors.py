"""Refusals: one exception type with a machine-readable code and a Dutch (B1) message.

A parser or generator in this package either returns a complete result or raises
:class:`BankbestandGeweigerd`. It never returns half a statement.
"""

from __future__ import annotations

from enum import StrEnum


class Weigercode(StrEnum):
    """Why a file or a payment batch was refused (stable, machine-readable)."""

    LEEG_BESTAND = "leeg_bestand"
    ONBEKEND_FORMAAT = "onbekend_formaat"
    NIET_ONDERSTEUNDE_VERSIE = "niet_ondersteunde_versie"
    KAPOT_BESTAND = "kapot_bestand"
    ONVEILIGE_XML = "onveilige_xml"
    ANDER_REKENINGNUMMER = "ander_rekeningnummer"
    ONTBREKEND_REKENINGNUMMER = "ontbrekend_rekeningnummer"
    ONTBREKENDE_REFERENTIE = "ontbrekende_referentie"
    ONTBREKEND_BEDRAG = "ontbrekend_bedrag"
    ONGELDIG_BEDRAG = "ongeldig_bedrag"
    ANDERE_VALUTA = "andere_valuta"
    ONTBREKENDE_RICHTING = "ontbrekende_richting"
    ONTBREKENDE_DATUM = "ontbrekende_datum"
    ONGELDIGE_DATUM = "ongeldige_datum"
    GEEN_BOEKINGEN = "geen_boekingen"
    # payment files (pain.001) and status reports (pain.002)
    GEEN_BETALINGEN = "geen_betalingen"
    ONGELDIGE_IBAN = "ongeldige_iban"
    ONGELDIGE_BIC = "ongeldige_bic"
    ONGELDIG_KENMERK = "ongeldig_kenmerk"
    ONGELDIGE_TEKST = "ongeldige_tekst"
    DUBBELE_REFERENTIE = "dubbele_referentie"
    ONGELDIG_BETAALBESTAND = "ongeldig_betaalbestand"


class BankbestandGeweigerd(Exception):
    """A bank file, status report or payment batch that we refuse, with the reason.

    ``code`` is a :class:`Weigercode`; ``bericht`` is a Dutch B1 sentence for people;
    ``plaats`` says where (line number, XPath, entry number), or is ``None``.
    Messages never contain amounts, names or account numbers from the file, so they
    can be logged; the ``plaats`` points at the spot instead.
    """

    def __init__(self, code: Weigercode, bericht: str, *, plaats: str | None = None) -> None:
        self.code = Weigercode(code)
        self.bericht = bericht
        self.plaats = plaats
        super().__init__(f"{self.code.value}: {bericht}" + (f" ({plaats})" if plaats else ""))

    def __reduce__(self):  # keep the exception picklable for Celery results
        return (_rebuild, (self.code.value, self.bericht, self.plaats))


def _rebuild(code: str, bericht: str, plaats: str | None) -> BankbestandGeweigerd:
    return BankbestandGeweigerd(Weigercode(code), bericht, plaats=plaats)
