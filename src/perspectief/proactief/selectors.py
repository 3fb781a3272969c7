"""Reading: the imported population as numpy columns (cached per import), screening, the
candidate lists of a caseload, and the armoederegisseur's what-if (aggregates only)."""

from __future__ import annotations

import copy
import datetime as dt
import threading
from dataclasses import dataclass, field

import numpy as np
from django.core.cache import cache
from django.db.models import Count, F, Max, Q, QuerySet

from perspectief.regelingen.constants import BEDRAG_SLEUTELS, INKOMENSGRENS_PAD
from rekenregels import (
    JA,
    ROLLEN,
    WONINGSOORTEN,
    Catalogus,
    Populatie,
    evalueer_catalogus,
    screen,
    standaard_parameters,
)

from .constants import KLEINE_GROEP
from .models import Afmelding, Import, Kandidaat, Momentopname, Ontvangst, Ronde

# --- the population, as columns -------------------------------------------------------------


@dataclass
class Kolommen:
    """The imported households of one gemeente as numpy columns (amounts per month)."""

    huishouden_ids: np.ndarray  # per household: huishoudens.Huishouden pk, sorted
    persoon_huishouden: np.ndarray  # per person: household position 0..n-1
    rol: np.ndarray
    geboortedatum: np.ndarray
    loon: np.ndarray
    uitkering: np.ndarray
    overig: np.ndarray
    vermogen: np.ndarray
    woningsoort: np.ndarray
    kale_huur: np.ndarray
    servicekosten: np.ndarray
    maanden_laag_inkomen: np.ndarray
    _populaties: dict = field(default_factory=dict)
    _simulaties: dict = field(default_factory=dict)

    def populatie(self, peildatum: dt.date) -> Populatie:
        """The rekenregels population: gross per month x 12, plus vakantiegeld on loon and
        uitkering (as the JSON contract does for bruto_per_maand)."""
        vakantiegeld = standaard_parameters().op(peildatum)("algemeen.vakantiebijslag_loon")
        if vakantiegeld not in self._populaties:
            factor = 12.0 * (1.0 + vakantiegeld)
            self._populaties[vakantiegeld] = Populatie.uit_kolommen(
                huishouden=self.persoon_huishouden, rol=self.rol, geboortedatum=self.geboortedatum,
                loon_per_jaar=self.loon * factor, uitkering_per_jaar=self.uitkering * factor,
                overig_inkomen_per_jaar=self.overig * 12.0, vermogen=self.vermogen,
                woningsoort=self.woningsoort, kale_huur_per_maand=self.kale_huur,
                servicekosten_per_maand=self.servicekosten, maanden_laag_inkomen=self.maanden_laag_inkomen,
                aantal_huishoudens=int(self.huishouden_ids.size),
            )
        return self._populaties[vakantiegeld]


KOLOMNAMEN = (
    "huishouden_ids", "persoon_huishouden", "rol", "geboortedatum", "loon", "uitkering", "overig", "vermogen",
    "woningsoort", "kale_huur", "servicekosten", "maanden_laag_inkomen",
)
_CACHE: dict[int, tuple[tuple, Kolommen]] = {}
_LOCK = threading.Lock()


def _versie(gemeente_id: int) -> tuple:
    data = Momentopname.objects.filter(gemeente_id=gemeente_id).aggregate(n=Count("pk"), laatst=Max("bijgewerkt_op"))
    laatste_import = Import.objects.filter(gemeente_id=gemeente_id).aggregate(m=Max("pk"))["m"]
    return (data["n"], data["laatst"], laatste_import)


def populatie_vergeten(*, gemeente_id: int) -> None:
    with _LOCK:
        _CACHE.pop(gemeente_id, None)


def kolommen(*, gemeente_id: int) -> Kolommen:
    """The gemeente's imported population; read from the database once per import."""
    versie = _versie(gemeente_id)
    with _LOCK:
        gevonden = _CACHE.get(gemeente_id)
        if gevonden is not None and gevonden[0] == versie:
            return gevonden[1]
    # Other processes (gunicorn workers, the Celery worker that ran the import) share the
    # columns through Django's cache (Redis in production), so a new process skips the read.
    cache_sleutel = f"proactief:kolommen:{gemeente_id}:{versie[0]}:{versie[1].isoformat() if versie[1] else '-'}:{versie[2]}"
    gedeeld = cache.get(cache_sleutel)
    if isinstance(gedeeld, dict):
        resultaat = Kolommen(**gedeeld)
        with _LOCK:
            _CACHE[gemeente_id] = (versie, resultaat)
        return resultaat
    rijen = Momentopname.objects.filter(gemeente_id=gemeente_id).order_by("huishouden_id").values_list(
        "huishouden_id", "personen", "woningsoort", "kale_huur_per_maand", "servicekosten_per_maand",
        "maanden_laag_inkomen",
    )
    ids, woningsoort, huur, service, maanden = [], [], [], [], []
    positie, rol, geboorte, loon, uitkering, overig, vermogen = [], [], [], [], [], [], []
    for index, (huishouden_id, personen, soort, kale_huur, servicekosten, laag) in enumerate(rijen.iterator(chunk_size=5000)):
        ids.append(huishouden_id)
        woningsoort.append(soort)
        huur.append(kale_huur)
        service.append(servicekosten)
        maanden.append(laag)
        for p in personen:
            positie.append(index)
            rol.append(p[0])
            geboorte.append(p[1])
            loon.append(p[2])
            uitkering.append(p[3])
            overig.append(p[4])
            vermogen.append(p[5])
    resultaat = Kolommen(
        huishouden_ids=np.asarray(ids, dtype=np.int64),
        persoon_huishouden=np.asarray(positie, dtype=np.int64),
        rol=np.asarray(rol, dtype=np.int8),
        geboortedatum=np.asarray(geboorte, dtype="datetime64[D]"),
        loon=np.asarray(loon, dtype=np.float64),
        uitkering=np.asarray(uitkering, dtype=np.float64),
        overig=np.asarray(overig, dtype=np.float64),
        vermogen=np.asarray(vermogen, dtype=np.float64),  # None -> NaN (unknown)
        woningsoort=np.asarray(woningsoort, dtype=np.int8),
        kale_huur=np.asarray([np.nan if h is None else float(h) for h in huur], dtype=np.float64),
        servicekosten=np.asarray([float(s) for s in service], dtype=np.float64),
        maanden_laag_inkomen=np.asarray(maanden, dtype=np.float64),
    )
    with _LOCK:
        _CACHE[gemeente_id] = (versie, resultaat)
    kolomdata = {naam: getattr(resultaat, naam) for naam in KOLOMNAMEN}
    cache.set(cache_sleutel, kolomdata, timeout=7 * 24 * 3600)
    return resultaat


# --- screening ------------------------------------------------------------------------------


@dataclass
class Gescreend:
    huishouden_ids: np.ndarray
    gemeentelijk: dict  # code -> rekenregels Uitkomst (recht, bedrag_per_jaar, definitie)
    details: dict  # code -> {"inkomen_per_maand": array, "inkomensgrens_per_maand": array, ...}
    simulatie: object


def screening(*, gemeente_id: int, peildatum: dt.date, catalogus: Catalogus) -> Gescreend:
    data = kolommen(gemeente_id=gemeente_id)
    sleutel = (peildatum, id(catalogus))
    if sleutel not in data._simulaties:
        resultaat = screen(data.populatie(peildatum), peildatum, catalogus=catalogus, variabelen=())
        codes = [r["code"] for r in catalogus.regelingen]
        details = {code: u.details for code, u in evalueer_catalogus(resultaat.simulatie, catalogus).items()}
        while len(data._simulaties) >= 2:  # a run's peildatum and today's what-if; about 40 MB each at 100,000
            data._simulaties.pop(next(iter(data._simulaties)))
        data._simulaties[sleutel] = (
            catalogus,
            Gescreend(data.huishouden_ids, {c: resultaat.regelingen[c] for c in codes}, details, resultaat.simulatie),
        )
    return data._simulaties[sleutel][1]


# --- candidates for the klantmanager ----------------------------------------------------------


def laatste_ronde(*, gemeente_id: int) -> Ronde | None:
    return Ronde.objects.filter(gemeente_id=gemeente_id, status="klaar").first()


def imports_zichtbaar_voor(user) -> QuerySet[Import]:
    """Imports a klantmanager may look at: their own, and those for one of their teams. The
    report names household keys and bad values, so not every klantmanager of the gemeente."""
    return Import.objects.filter(gemeente_id=user.gemeente_id).filter(
        Q(uitgevoerd_door=user) | Q(team__in=user.teams.all())
    ).defer("inhoud_versleuteld")


def kandidaten_in_caseload(*, ronde: Ronde, zichtbaar, regeling: str | None = None) -> QuerySet[Kandidaat]:
    """The run's candidates whose household is in the caseload, with the decision if any."""
    kandidaten = Kandidaat.objects.filter(ronde=ronde, huishouden__in=zichtbaar.values("pk"))
    if regeling is not None:
        kandidaten = kandidaten.filter(regeling=regeling)
    # Still to decide first, then by household name.
    return kandidaten.select_related("huishouden", "besluit").order_by(
        F("besluit__id").asc(nulls_first=True), "huishouden__naam", "pk"
    )


def aantallen_per_regeling(*, ronde: Ronde, zichtbaar) -> dict[str, dict]:
    """Per scheme: candidates in the caseload and how many are still open."""
    rijen = (
        Kandidaat.objects.filter(ronde=ronde, huishouden__in=zichtbaar.values("pk"))
        .values("regeling").annotate(n=Count("pk"), besloten=Count("besluit")).order_by()
    )
    return {r["regeling"]: {"kandidaten": r["n"], "open": r["n"] - r["besloten"]} for r in rijen}


def kandidaat_in_caseload(*, kandidaat_id: int, zichtbaar) -> Kandidaat | None:
    return (
        Kandidaat.objects.filter(pk=kandidaat_id, huishouden__in=zichtbaar.values("pk"))
        .select_related("huishouden", "huishouden__adres", "ronde", "besluit").first()
    )


def huishouden_van_kandidaat(*, kandidaat_id: int) -> int | None:
    """The household id of any candidate (None: no such candidate); for the audit of a refusal."""
    return Kandidaat.objects.filter(pk=kandidaat_id).values_list("huishouden_id", flat=True).first()


def momentopname(*, huishouden_id: int) -> Momentopname | None:
    return Momentopname.objects.filter(huishouden_id=huishouden_id).first()


def huishouden_als_invoer(*, opname: Momentopname, peildatum: dt.date, gemeente_code: str) -> dict:
    """The household in the rules engine's JSON contract (for `bereken`, the full explanation)."""
    rollen = {code: naam for naam, code in ROLLEN.items()}
    personen = []
    for nummer, (rol, geboortedatum, loon, uitkering, overig, vermogen) in enumerate(opname.personen, start=1):
        persoon = {
            "id": f"persoon{nummer}", "rol": rollen[rol], "geboortedatum": geboortedatum,
            "inkomsten": [
                {"soort": soort, "bruto_per_maand": bedrag}
                for soort, bedrag in (("loon", loon), ("uitkering", uitkering), ("overig", overig)) if bedrag
            ],
        }
        if vermogen is not None:
            persoon["vermogen"] = vermogen
        personen.append(persoon)
    invoer = {"peildatum": peildatum.isoformat(), "gemeente": gemeente_code, "personen": personen}
    soorten = {code: naam for naam, code in WONINGSOORTEN.items()}
    if opname.woningsoort in soorten:
        woning = {"soort": soorten[opname.woningsoort]}
        if woning["soort"] == "huur" and opname.kale_huur_per_maand is not None:
            woning["kale_huur_per_maand"] = float(opname.kale_huur_per_maand)
            woning["servicekosten_per_maand"] = float(opname.servicekosten_per_maand)
        invoer["woning"] = woning
    if opname.maanden_laag_inkomen is not None:
        invoer["maanden_laag_inkomen"] = opname.maanden_laag_inkomen
    return invoer


def ontvangen_regelingen(*, huishouden_id: int) -> list[str]:
    return list(Ontvangst.objects.filter(huishouden_id=huishouden_id).order_by("regeling").values_list("regeling", flat=True))


def afmeldingen(*, huishouden_id: int) -> list[str]:
    """The household's opt-outs: "" means all schemes."""
    return list(Afmelding.objects.filter(huishouden_id=huishouden_id).order_by("regeling").values_list("regeling", flat=True))


# --- what-if for the armoederegisseur -----------------------------------------------------------


@dataclass(frozen=True)
class Parameterkeuze:
    regeling: str
    pad: str
    label: str
    huidig: float
    stappen: tuple[float, ...]

    @property
    def sleutel(self) -> str:
        return f"{self.regeling}|{self.pad}"


def wat_als_keuzes(*, catalogus: Catalogus) -> list[Parameterkeuze]:
    """The parameters of municipal schemes a what-if can change, with the steps of the chart."""
    keuzes = []
    for regeling in catalogus.regelingen:
        inkomen = regeling["voorwaarden"].get("inkomen")
        if inkomen and "percentage_bijstandsnorm" in inkomen:
            keuzes.append(Parameterkeuze(
                regeling["code"], INKOMENSGRENS_PAD, f"{regeling['naam']}: inkomensgrens (% van de bijstandsnorm)",
                float(inkomen["percentage_bijstandsnorm"]), tuple(float(p) for p in range(100, 151, 10)),
            ))
        for sleutel, label in BEDRAG_SLEUTELS:
            waarde = regeling["bedrag"].get(sleutel)
            if isinstance(waarde, (int, float)) and waarde > 0:
                keuzes.append(Parameterkeuze(
                    regeling["code"], f"bedrag.{sleutel}", f"{regeling['naam']}: {label} (euro)", float(waarde),
                    tuple(round(waarde * f, 2) for f in (0.5, 0.75, 1.0, 1.25, 1.5)),
                ))
    return keuzes


@dataclass(frozen=True)
class WatAlsPunt:
    waarde: float
    huishoudens: int | None  # None: fewer than KLEINE_GROEP (not shown)
    kosten_per_jaar: float | None
    huidig: bool = False


def _onderdruk(aantal: int, kosten: float) -> tuple[int | None, float | None]:
    if aantal < KLEINE_GROEP:
        return None, None
    return aantal, round(kosten, 2)


def wat_als(*, gemeente_id: int, peildatum: dt.date, catalogus: Catalogus, keuze: Parameterkeuze,
            waarden: list[float]) -> list[WatAlsPunt]:
    """Households with recht ja and the cost per year for each value of one parameter, over
    the imported population. Aggregates only; groups under 10 are suppressed."""
    basis = screening(gemeente_id=gemeente_id, peildatum=peildatum, catalogus=catalogus)
    punten = []
    for waarde in waarden:
        gewijzigd = catalogus.met_wijziging(keuze.regeling, keuze.pad, _als_getal(waarde))
        simulatie = copy.copy(basis.simulatie)
        simulatie.catalogus = gewijzigd
        simulatie.gedeeld = {k: v for k, v in basis.simulatie.gedeeld.items() if k != "gemeentelijk"}
        uitkomst = evalueer_catalogus(simulatie, gewijzigd)[keuze.regeling]
        ja = uitkomst.recht == JA
        aantal, kosten = _onderdruk(int(ja.sum()), float(uitkomst.bedrag_per_jaar[ja].sum()))
        punten.append(WatAlsPunt(waarde, aantal, kosten, huidig=abs(waarde - keuze.huidig) < 1e-9))
    return punten


def _als_getal(waarde: float):
    return int(waarde) if float(waarde).is_integer() else float(waarde)


def aantal_geimporteerd(*, gemeente_id: int) -> int:
    return Momentopname.objects.filter(gemeente_id=gemeente_id).count()

