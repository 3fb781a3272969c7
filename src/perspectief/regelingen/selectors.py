"""Which scheme catalogue applies: the one the public check, proactive granting and the
what-if all use. Also the reads of the beheer pages: versions, validation with line numbers
and the preview against example households."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import threading
from dataclasses import dataclass

import yaml
from django.db.models import QuerySet

from rekenregels import Catalogus, CatalogusFout, InvoerFout, ParameterOntbreekt, bereken, laad_catalogus

from .constants import CatalogusStatus
from .models import CatalogusVersie
from .voorbeelden import VOORBEELDHUISHOUDENS, Voorbeeldhuishouden


def catalogusversie_geldig(*, gemeente_id: int, peildatum: dt.date) -> CatalogusVersie | None:
    """The published version valid on the peildatum (latest valid-from, then highest version)."""
    return (
        CatalogusVersie.objects.filter(
            gemeente_id=gemeente_id, status=CatalogusStatus.GEPUBLICEERD, geldig_vanaf__lte=peildatum
        )
        .order_by("-geldig_vanaf", "-versie")
        .first()
    )


# Parsed published catalogues, per process. A published version never changes, so the key
# is its id plus its publication time (ids can come back after a rollback in tests).
_CACHE: dict[tuple[int, dt.datetime], Catalogus] = {}
_CACHE_MAX = 64
_CACHE_LOCK = threading.Lock()


def _geparsed(versie_id: int, gepubliceerd_op: dt.datetime) -> Catalogus:
    sleutel = (versie_id, gepubliceerd_op)
    catalogus = _CACHE.get(sleutel)
    if catalogus is None:
        tekst = CatalogusVersie.objects.values_list("yaml_tekst", flat=True).get(pk=versie_id)
        catalogus = Catalogus.uit_yaml(tekst, bron=f"catalogusversie {versie_id}")
        with _CACHE_LOCK:
            if len(_CACHE) >= _CACHE_MAX:
                _CACHE.pop(next(iter(_CACHE)))
            _CACHE[sleutel] = catalogus
    return catalogus


def catalogus_voor_gemeente(*, gemeente, peildatum: dt.date) -> Catalogus | None:
    """The municipality's catalogue on the peildatum.

    Falls back to the catalogue shipped with rekenregels for the gemeente's CBS code when the
    municipality has published no version in the platform yet; None when there is neither,
    or when published versions exist but none is valid yet on the peildatum.
    One small query (no YAML is read or parsed once a version is in the cache).
    """
    # One query for both questions (which version is valid; is any published at all): the
    # published versions of one gemeente are few, newest first.
    gepubliceerd = (
        CatalogusVersie.objects.filter(gemeente_id=gemeente.pk, status=CatalogusStatus.GEPUBLICEERD)
        .order_by("-geldig_vanaf", "-versie")
        .values_list("pk", "gepubliceerd_op", "geldig_vanaf")
    )
    versies = list(gepubliceerd)
    for pk, gepubliceerd_op, geldig_vanaf in versies:
        if geldig_vanaf <= peildatum:
            return _geparsed(pk, gepubliceerd_op)
    if versies:
        return None
    try:
        return laad_catalogus(gemeente.cbs_code)
    except KeyError:
        return None


def _gemeenten():
    # The gemeente model through this app's own relation (apps share models only by reference).
    return CatalogusVersie._meta.get_field("gemeente").related_model.objects


def gemeente_bij_slug(*, slug: str):
    return _gemeenten().filter(slug=slug).first()


def gemeente_bij_code(*, code: str):
    """A gemeente by slug (``voorbeeld``) or CBS code (``GM9999``), as the engine's contract
    allows both; None when the platform does not know it."""
    if not code:
        return None
    return _gemeenten().filter(slug=code.lower()).first() or _gemeenten().filter(cbs_code=code.upper()).first()


def catalogusversies(*, gemeente) -> QuerySet[CatalogusVersie]:
    """All versions of the gemeente, newest first, for the beheer list."""
    return (
        CatalogusVersie.objects.filter(gemeente_id=gemeente.pk)
        .select_related("aangemaakt_door", "gepubliceerd_door")
        .defer("yaml_tekst")
        .order_by("-versie")
    )


def later_gepubliceerd(*, gemeente, na: dt.date) -> list[CatalogusVersie]:
    """Published versions that start after `na`: they take over from a version published now."""
    return list(
        CatalogusVersie.objects.filter(gemeente_id=gemeente.pk, status=CatalogusStatus.GEPUBLICEERD, geldig_vanaf__gt=na)
        .defer("yaml_tekst")
        .order_by("geldig_vanaf", "versie")
    )


def catalogusversie_van_gemeente(*, gemeente, pk: int) -> CatalogusVersie | None:
    """One version, only if it belongs to the gemeente (else None: the view answers 404)."""
    return CatalogusVersie.objects.filter(gemeente_id=gemeente.pk, pk=pk).first()


# --- validation with line numbers ------------------------------------------------------------


@dataclass(frozen=True)
class CatalogusProbleem:
    veld: str
    code: str
    bericht: str
    regel: int | None  # line in the YAML text (1-based), when it can be found


_PAD_DEEL = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _paddelen(veld: str) -> list[str | int]:
    return [int(index) if index else naam for naam, index in _PAD_DEEL.findall(veld)]


def regel_van_veld(tekst: str, veld: str) -> int | None:
    """The line (1-based) where a field path like ``regelingen[2].bedrag.per_kind_per_jaar``
    is written in the YAML; the deepest existing parent when the field itself is missing."""
    try:
        knoop = yaml.compose(tekst)
    except yaml.YAMLError:
        return None
    if knoop is None:
        return None
    regel = None
    for deel in _paddelen(veld):
        if isinstance(knoop, yaml.MappingNode) and isinstance(deel, str):
            gevonden = next(((k, v) for k, v in knoop.value if getattr(k, "value", None) == deel), None)
            if gevonden is None:
                break
            regel = gevonden[0].start_mark.line + 1
            knoop = gevonden[1]
        elif isinstance(knoop, yaml.SequenceNode) and isinstance(deel, int) and deel < len(knoop.value):
            knoop = knoop.value[deel]
            regel = knoop.start_mark.line + 1
        else:
            break
    return regel


@dataclass(frozen=True)
class YamlControle:
    """A catalogue text checked once: the parsed catalogue, or its problems (never both)."""

    catalogus: Catalogus | None
    problemen: list[CatalogusProbleem]


def yaml_controleren(tekst: str) -> YamlControle:
    """Parses a catalogue text once; every problem with the line it belongs to."""
    try:
        return YamlControle(Catalogus.uit_yaml(tekst), [])
    except CatalogusFout as fout:
        problemen = []
        for item in fout.fouten:
            if item.code == "yaml":
                probleem_regel = _yaml_foutregel(tekst)
                problemen.append(CatalogusProbleem(item.veld, item.code, item.bericht, probleem_regel))
            else:
                problemen.append(CatalogusProbleem(item.veld, item.code, item.bericht, regel_van_veld(tekst, item.veld)))
        return YamlControle(None, problemen)


def controleer_yaml(tekst: str) -> list[CatalogusProbleem]:
    """Every problem of a catalogue text with the line it belongs to (empty list: valid)."""
    return yaml_controleren(tekst).problemen


def _yaml_foutregel(tekst: str) -> int | None:
    try:
        yaml.safe_load(tekst)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return mark.line + 1 if mark else None
    except yaml.YAMLError:
        return None
    return None


# --- preview against example households -----------------------------------------------------


@dataclass(frozen=True)
class Vergelijking:
    code: str
    naam: str
    recht_nu: str | None  # None: the scheme is not in the published version
    bedrag_nu: float | None
    recht_concept: str | None  # None: the scheme is not in the concept
    bedrag_concept: float | None

    @property
    def veranderd(self) -> bool:
        return (self.recht_nu, self.bedrag_nu) != (self.recht_concept, self.bedrag_concept)


@dataclass(frozen=True)
class Voorbeeldvergelijking:
    huishouden: Voorbeeldhuishouden
    regels: list[Vergelijking]
    fout: str = ""

    @property
    def aantal_veranderd(self) -> int:
        return sum(1 for regel in self.regels if regel.veranderd)


def _gemeentelijk(huishouden: dict, catalogus: Catalogus | None) -> dict[str, tuple[str, str, float | None]]:
    if catalogus is None:
        return {}
    uitkomst = bereken(dict(huishouden, opties={"uitleg": False}), catalogus=catalogus)
    return {
        r["code"]: (r["naam"], r["recht"], r["bedrag_per_maand"])
        for r in uitkomst["regelingen"]
        if r["soort"] == "gemeentelijk"
    }


def voorbeeld_vergelijken(*, concept: Catalogus, gepubliceerd: Catalogus | None, peildatum: dt.date) -> list[Voorbeeldvergelijking]:
    """Runs the concept and the currently published catalogue against the example households
    and lines up each municipal scheme: right and amount per month, side by side."""
    uitkomsten = []
    for voorbeeld in VOORBEELDHUISHOUDENS:
        invoer = voorbeeld.als_invoer(peildatum)
        try:
            nieuw = _gemeentelijk(invoer, concept)
            oud = _gemeentelijk(invoer, gepubliceerd)
        except (InvoerFout, ParameterOntbreekt) as fout:
            uitkomsten.append(Voorbeeldvergelijking(voorbeeld, [], fout=str(fout)))
            continue
        codes = list(nieuw) + [code for code in oud if code not in nieuw]
        regels = []
        for code in codes:
            naam = (nieuw.get(code) or oud.get(code))[0]
            _, recht_nu, bedrag_nu = oud.get(code, (None, None, None))
            _, recht_concept, bedrag_concept = nieuw.get(code, (None, None, None))
            regels.append(Vergelijking(code, naam, recht_nu, bedrag_nu, recht_concept, bedrag_concept))
        uitkomsten.append(Voorbeeldvergelijking(voorbeeld, regels))
    return uitkomsten


# --- the structured edit: one number of one scheme -----------------------------------------


def yaml_waarde_vervangen(tekst: str, *, regeling: str, pad: str, waarde) -> str | None:
    """The text with one scalar of one scheme replaced in place (comments and layout stay);
    None when the scheme or the field does not exist in the text."""
    try:
        wortel = yaml.compose(tekst)
    except yaml.YAMLError:
        return None
    if not isinstance(wortel, yaml.MappingNode):
        return None
    regelingen = next((v for k, v in wortel.value if getattr(k, "value", None) == "regelingen"), None)
    if not isinstance(regelingen, yaml.SequenceNode):
        return None
    for item in regelingen.value:
        if not isinstance(item, yaml.MappingNode):
            continue
        code = next((v for k, v in item.value if getattr(k, "value", None) == "code"), None)
        if getattr(code, "value", None) != regeling:
            continue
        knoop = item
        for deel in pad.split("."):
            if not isinstance(knoop, yaml.MappingNode):
                return None
            knoop = next((v for k, v in knoop.value if getattr(k, "value", None) == deel), None)
            if knoop is None:
                return None
        if not isinstance(knoop, yaml.ScalarNode):
            return None
        return tekst[: knoop.start_mark.index] + str(waarde) + tekst[knoop.end_mark.index :]
    return None


# --- what changed in the text ---------------------------------------------------------------


@dataclass(frozen=True)
class Tekstverschil:
    soort: str  # "weg", "erbij" or "context"
    regel_oud: int | None
    regel_nieuw: int | None
    tekst: str


def yaml_verschil(oud: str, nieuw: str, *, context: int = 1) -> list[Tekstverschil]:
    """The changed lines between two catalogue texts, with a little context (empty: the same)."""
    oud_regels, nieuw_regels = oud.splitlines(), nieuw.splitlines()
    verschil: list[Tekstverschil] = []
    matcher = difflib.SequenceMatcher(a=oud_regels, b=nieuw_regels, autojunk=False)
    for groep in matcher.get_grouped_opcodes(context):
        if verschil:
            verschil.append(Tekstverschil("overslag", None, None, "…"))
        for soort, a1, a2, b1, b2 in groep:
            if soort == "equal":
                verschil += [Tekstverschil("context", a1 + i + 1, b1 + i + 1, oud_regels[a1 + i]) for i in range(a2 - a1)]
                continue
            verschil += [Tekstverschil("weg", a1 + i + 1, None, oud_regels[a1 + i]) for i in range(a2 - a1)]
            verschil += [Tekstverschil("erbij", None, b1 + i + 1, nieuw_regels[b1 + i]) for i in range(b2 - b1)]
    return verschil
