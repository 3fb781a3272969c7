"""The CSV format of the bijstand administration's export (see docs/proactief.md).

One row per person. Reading is in two steps: `kop_controleren` refuses a file as a whole
(not text, not CSV, wrong columns); `lees` checks every row and groups the rows into
households. A household with one bad row is skipped as a whole; every bad row is reported
with its line number and a reason in plain Dutch. No database access here.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone

from perspectief.huishoudens.bsn import OngeldigBSN, bsn_normalise
from perspectief.huishoudens.validators import postcode_normalise
from rekenregels import ROLLEN, WONING_ONBEKEND, WONINGSOORTEN  # the codes the snapshots store

VERPLICHT = (
    "huishouden", "bsn", "rol", "voornamen", "achternaam", "geboortedatum", "straat", "huisnummer", "postcode",
)
OPTIONEEL = (
    "tussenvoegsel", "toevoeging", "woonplaats", "loon_bruto_per_maand", "uitkering_bruto_per_maand",
    "overig_bruto_per_maand", "vermogen", "woningsoort", "kale_huur_per_maand", "servicekosten_per_maand",
    "maanden_laag_inkomen", "lopende_regelingen",
)
KOLOMMEN = VERPLICHT + OPTIONEEL
MAX_BEDRAG = Decimal(1000000)


class BestandGeweigerd(ValueError):
    """The whole file is refused; the message says why in plain Dutch."""


@dataclass
class Persoonsregel:
    regel: int
    bsn: str
    rol: str
    voornamen: str
    tussenvoegsel: str
    achternaam: str
    geboortedatum: date
    loon: Decimal
    uitkering: Decimal
    overig: Decimal
    vermogen: Decimal | None


@dataclass
class GelezenHuishouden:
    sleutel: str
    eerste_regel: int
    personen: list[Persoonsregel]
    straat: str = ""
    huisnummer: int = 0
    toevoeging: str = ""
    postcode: str = ""
    woonplaats: str = ""
    woningsoort: int = -1
    kale_huur: Decimal | None = None
    servicekosten: Decimal = Decimal(0)
    maanden_laag_inkomen: int | None = None
    lopende_regelingen: set[str] = field(default_factory=set)

    @property
    def aanvrager(self) -> Persoonsregel:
        return next(p for p in self.personen if p.rol == "aanvrager")

    def engine_personen(self) -> list[list]:
        """The snapshot's person list: [rol, geboortedatum, loon, uitkering, overig, vermogen]."""
        return [
            [ROLLEN[p.rol], p.geboortedatum.isoformat(), float(p.loon), float(p.uitkering), float(p.overig),
             None if p.vermogen is None else float(p.vermogen)]
            for p in self.personen
        ]

    def gegevens_hash(self) -> str:
        data = [
            self.engine_personen(), self.woningsoort, None if self.kale_huur is None else str(self.kale_huur),
            str(self.servicekosten), self.maanden_laag_inkomen, sorted(self.lopende_regelingen),
        ]
        return hashlib.sha256(json.dumps(data, separators=(",", ":")).encode()).hexdigest()


@dataclass
class Leesresultaat:
    huishoudens: list[GelezenHuishouden]
    fouten: list[dict]  # {"regel": n, "reden": "..."} in line order
    aantal_regels: int
    overgeslagen: int  # households skipped because of a bad row


def bestand_hash(inhoud: bytes) -> str:
    return hashlib.sha256(inhoud).hexdigest()


def _tekst(inhoud: bytes) -> str:
    if not inhoud.strip():
        raise BestandGeweigerd("Het bestand is leeg. Er is niets ingelezen.")
    if b"\x00" in inhoud[:4096]:
        raise BestandGeweigerd("Dit is geen CSV-bestand (het bevat geen gewone tekst). Er is niets ingelezen.")
    try:
        return inhoud.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BestandGeweigerd(
            "Het bestand is geen UTF-8-tekst. Sla het op als 'CSV UTF-8' en probeer het opnieuw. Er is niets ingelezen."
        ) from None


def _scheidingsteken(eerste_regel: str) -> str:
    return ";" if eerste_regel.count(";") >= eerste_regel.count(",") else ","


def _kop(tekst: str) -> tuple[list[str], str]:
    eerste_regel = re.split(r"\r\n|\r|\n", tekst, maxsplit=1)[0]
    teken = _scheidingsteken(eerste_regel)
    try:
        kop = [k.strip().lower() for k in next(csv.reader([eerste_regel], delimiter=teken), [])]
    except csv.Error:
        kop = []
    if len(kop) < 2:
        raise BestandGeweigerd(
            "Dit lijkt geen CSV-bestand: de eerste regel heeft geen kolommen gescheiden door ; of ,. Er is niets ingelezen."
        )
    ontbreekt = [k for k in VERPLICHT if k not in kop]
    onbekend = [k for k in kop if k not in KOLOMMEN]
    dubbel = sorted({k for k in kop if kop.count(k) > 1})
    delen = []
    if ontbreekt:
        delen.append("Deze kolommen ontbreken: " + ", ".join(ontbreekt) + ".")
    if onbekend:
        delen.append("Deze kolommen kennen we niet: " + ", ".join(k or "(leeg)" for k in onbekend) + ".")
    if dubbel:
        delen.append("Deze kolommen staan er twee keer in: " + ", ".join(dubbel) + ".")
    if delen:
        raise BestandGeweigerd(" ".join(delen) + " Er is niets ingelezen. Kijk in de handleiding welke kolommen nodig zijn.")
    return kop, teken


def kop_controleren(inhoud: bytes) -> None:
    """Raises BestandGeweigerd when the file as a whole cannot be read."""
    _kop(_tekst(inhoud))


# --- values -------------------------------------------------------------------------------------


class _Fout(ValueError):
    pass


def _bedrag(waarde: str, naam: str, *, leeg=Decimal(0)) -> Decimal | None:
    tekst = waarde.strip().replace("€", "").replace(" ", "")
    if not tekst:
        return leeg
    if "," in tekst and "." in tekst:
        if tekst.rfind(",") > tekst.rfind("."):
            tekst = tekst.replace(".", "").replace(",", ".")
        else:
            tekst = tekst.replace(",", "")
    else:
        tekst = tekst.replace(",", ".")
    try:
        bedrag = Decimal(tekst)
    except InvalidOperation:
        raise _Fout(f"{naam} '{waarde.strip()}' is geen bedrag. Schrijf het zoals 1234,56.") from None
    if not bedrag.is_finite():
        raise _Fout(f"{naam} '{waarde.strip()}' is geen bedrag. Schrijf het zoals 1234,56.")
    if bedrag < 0:
        raise _Fout(f"{naam} is negatief ({waarde.strip()}). Een bedrag kan niet lager zijn dan 0.")
    if bedrag >= MAX_BEDRAG:
        raise _Fout(f"{naam} is veel te hoog ({waarde.strip()}). Kijk het bedrag na.")
    return bedrag.quantize(Decimal("0.01"))


_DATUM_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DATUM_NL = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")


def _datum(waarde: str) -> date:
    tekst = waarde.strip()
    if match := _DATUM_ISO.match(tekst):
        jaar, maand, dag = (int(x) for x in match.groups())
    elif match := _DATUM_NL.match(tekst):
        dag, maand, jaar = (int(x) for x in match.groups())
    else:
        raise _Fout(f"De geboortedatum '{tekst}' is geen datum. Schrijf hem als 2001-12-31 of 31-12-2001.")
    try:
        datum = date(jaar, maand, dag)
    except ValueError:
        raise _Fout(f"De geboortedatum '{tekst}' bestaat niet.") from None
    vandaag = timezone.localdate()
    if datum > vandaag:
        raise _Fout("De geboortedatum ligt in de toekomst.")
    if vandaag.year - datum.year > 120:
        raise _Fout("De geboortedatum is meer dan 120 jaar geleden.")
    return datum


def _tekstveld(rij: dict, naam: str, *, verplicht: bool, maximaal: int) -> str:
    waarde = (rij.get(naam) or "").strip()
    if verplicht and not waarde:
        raise _Fout(f"De kolom {naam} is leeg.")
    if len(waarde) > maximaal:
        raise _Fout(f"De kolom {naam} is te lang (hoogstens {maximaal} tekens).")
    return waarde


@dataclass
class _Rij:
    regel: int
    sleutel: str
    persoon: Persoonsregel
    huishoudvelden: dict


def _lees_rij(rij: dict, regel: int, bekende_regelingen: frozenset[str] | None) -> _Rij:
    sleutel = _tekstveld(rij, "huishouden", verplicht=True, maximaal=64)
    try:
        bsn = bsn_normalise(rij.get("bsn") or "")
    except OngeldigBSN:
        raise _Fout("Het BSN klopt niet: het heeft geen 9 cijfers of haalt de elfproef niet.") from None
    rol = (rij.get("rol") or "").strip().lower()
    if rol not in ROLLEN:
        raise _Fout(f"De rol '{rol}' kennen we niet. Kies aanvrager, partner, kind of medebewoner.")
    voornamen = _tekstveld(rij, "voornamen", verplicht=True, maximaal=200)
    achternaam = _tekstveld(rij, "achternaam", verplicht=True, maximaal=200)
    tussenvoegsel = _tekstveld(rij, "tussenvoegsel", verplicht=False, maximaal=20)
    geboortedatum = _datum(rij.get("geboortedatum") or "")
    loon = _bedrag(rij.get("loon_bruto_per_maand") or "", "Het loon")
    uitkering = _bedrag(rij.get("uitkering_bruto_per_maand") or "", "De uitkering")
    overig = _bedrag(rij.get("overig_bruto_per_maand") or "", "Het overige inkomen")
    vermogen = _bedrag(rij.get("vermogen") or "", "Het vermogen", leeg=None)
    velden: dict = {}
    if rol == "aanvrager":
        velden["straat"] = _tekstveld(rij, "straat", verplicht=True, maximaal=120)
        huisnummer = (rij.get("huisnummer") or "").strip()
        if not huisnummer.isdigit() or not 1 <= int(huisnummer) <= 99999:
            raise _Fout(f"Het huisnummer '{huisnummer}' is geen getal. Zet een toevoeging in de kolom toevoeging.")
        velden["huisnummer"] = int(huisnummer)
        velden["toevoeging"] = _tekstveld(rij, "toevoeging", verplicht=False, maximaal=10)
        try:
            velden["postcode"] = postcode_normalise((rij.get("postcode") or "").strip())
        except ValidationError:
            raise _Fout(
                f"De postcode '{(rij.get('postcode') or '').strip()}' klopt niet. Een postcode is 4 cijfers en 2 letters, zoals 1234 AB."
            ) from None
        velden["woonplaats"] = _tekstveld(rij, "woonplaats", verplicht=False, maximaal=80)
        kale_huur = _bedrag(rij.get("kale_huur_per_maand") or "", "De kale huur", leeg=None)
        velden["kale_huur"] = kale_huur
        velden["servicekosten"] = _bedrag(rij.get("servicekosten_per_maand") or "", "De servicekosten")
        soort = (rij.get("woningsoort") or "").strip().lower()
        if soort and soort not in WONINGSOORTEN:
            raise _Fout(f"De woningsoort '{soort}' kennen we niet. Kies huur, koop of geen.")
        velden["woningsoort"] = WONINGSOORTEN[soort] if soort else (WONINGSOORTEN["huur"] if kale_huur is not None else WONING_ONBEKEND)
        maanden = (rij.get("maanden_laag_inkomen") or "").strip()
        if maanden and (not maanden.isdigit() or int(maanden) > 1200):
            raise _Fout(f"Het aantal maanden met een laag inkomen '{maanden}' is geen heel getal.")
        velden["maanden_laag_inkomen"] = int(maanden) if maanden else None
    regelingen = {r.strip() for r in re.split(r"[|\s]+", rij.get("lopende_regelingen") or "") if r.strip()}
    if bekende_regelingen is not None:
        onbekend = sorted(regelingen - bekende_regelingen)
        if onbekend:
            raise _Fout("Deze regeling kennen we niet: " + ", ".join(onbekend) + ". Gebruik de code uit de regelingenlijst.")
    velden["lopende_regelingen"] = regelingen
    persoon = Persoonsregel(
        regel=regel, bsn=bsn, rol=rol, voornamen=voornamen, tussenvoegsel=tussenvoegsel, achternaam=achternaam,
        geboortedatum=geboortedatum, loon=loon, uitkering=uitkering, overig=overig, vermogen=vermogen,
    )
    return _Rij(regel, sleutel, persoon, velden)


def lees(inhoud: bytes, *, bekende_regelingen: frozenset[str] | None = None) -> Leesresultaat:
    """Reads the whole file. Raises BestandGeweigerd when nothing can be read at all."""
    tekst = _tekst(inhoud)
    kop, teken = _kop(tekst)
    reader = csv.reader(io.StringIO(tekst, newline=""), delimiter=teken)
    next(reader)
    fouten: list[dict] = []
    per_sleutel: dict[str, list[_Rij]] = {}
    foute_sleutels: dict[str, int] = {}  # key -> first bad line
    aantal = 0
    bsn_regel: dict[str, int] = {}
    try:
        for waarden in reader:
            regel = reader.line_num
            if not any(w.strip() for w in waarden):
                continue
            aantal += 1
            sleutel = (waarden[kop.index("huishouden")] if len(waarden) > kop.index("huishouden") else "").strip()
            if len(waarden) != len(kop):
                fouten.append({"regel": regel, "reden": f"Deze regel heeft {len(waarden)} kolommen, de kop heeft er {len(kop)}."})
                if sleutel:
                    foute_sleutels.setdefault(sleutel, regel)
                continue
            try:
                rij = _lees_rij(dict(zip(kop, waarden, strict=True)), regel, bekende_regelingen)
            except _Fout as fout:
                fouten.append({"regel": regel, "reden": str(fout)})
                if sleutel:
                    foute_sleutels.setdefault(sleutel, regel)
                continue
            eerder = bsn_regel.get(rij.persoon.bsn)
            if eerder is not None:
                fouten.append({"regel": regel, "reden": f"Dit BSN staat ook op regel {eerder}. Een persoon mag maar één keer in het bestand staan."})
                foute_sleutels.setdefault(sleutel, regel)
                continue
            bsn_regel[rij.persoon.bsn] = regel
            per_sleutel.setdefault(rij.sleutel, []).append(rij)
    except csv.Error as error:
        raise BestandGeweigerd(
            f"Het bestand is geen geldig CSV-bestand (regel {reader.line_num}: {error}). Er is niets ingelezen."
        ) from None

    huishoudens = []
    for sleutel, rijen in per_sleutel.items():
        if sleutel in foute_sleutels:
            continue
        aanvragers = [r for r in rijen if r.persoon.rol == "aanvrager"]
        partners = [r for r in rijen if r.persoon.rol == "partner"]
        if len(aanvragers) != 1:
            reden = (
                f"Huishouden '{sleutel}' heeft geen aanvrager. Elk huishouden heeft precies één aanvrager."
                if not aanvragers
                else f"Huishouden '{sleutel}' heeft meer dan één aanvrager (regels "
                + ", ".join(str(r.regel) for r in aanvragers) + ")."
            )
            fouten.append({"regel": rijen[0].regel, "reden": reden})
            foute_sleutels[sleutel] = rijen[0].regel
            continue
        if len(partners) > 1:
            fouten.append({"regel": partners[1].regel, "reden": f"Huishouden '{sleutel}' heeft meer dan één partner."})
            foute_sleutels[sleutel] = partners[1].regel
            continue
        velden = aanvragers[0].huishoudvelden
        regelingen = set().union(*(r.huishoudvelden["lopende_regelingen"] for r in rijen))
        personen = [aanvragers[0].persoon] + [r.persoon for r in rijen if r.persoon.rol != "aanvrager"]
        huishoudens.append(GelezenHuishouden(
            sleutel=sleutel, eerste_regel=rijen[0].regel, personen=personen,
            straat=velden["straat"], huisnummer=velden["huisnummer"], toevoeging=velden["toevoeging"],
            postcode=velden["postcode"], woonplaats=velden["woonplaats"], woningsoort=velden["woningsoort"],
            kale_huur=velden["kale_huur"], servicekosten=velden["servicekosten"],
            maanden_laag_inkomen=velden["maanden_laag_inkomen"], lopende_regelingen=regelingen,
        ))
    for sleutel, regel in foute_sleutels.items():
        fouten.append({
            "regel": regel,
            "reden": f"Daarom is huishouden '{sleutel}' helemaal niet ingelezen (ook de goede regels niet).",
        })
    fouten.sort(key=lambda f: f["regel"])
    if aantal == 0:
        raise BestandGeweigerd("Het bestand heeft alleen een kop en geen regels met personen. Er is niets ingelezen.")
    return Leesresultaat(huishoudens=huishoudens, fouten=fouten, aantal_regels=aantal, overgeslagen=len(foute_sleutels))
