"""Matching bank lines to afspraken: a score with reasons, automatic booking during the
import, ranked suggestions, manual booking, booking on a category, and undo.

The weights and the threshold are documented in docs/huishoudboekje.md ("Matching").
Everything that books goes through :mod:`.grootboek`; a line is booked at most once
(the line is locked with ``select_for_update`` and must be OPEN).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.audit.constants import Actie
from perspectief.audit.services import audit_record
from perspectief.core.bedragen import euro

from . import grootboek
from .constants import (
    DOEL,
    BetalingStatus,
    JournaalSoort,
    RekeningSoort,
    Richting,
    Rubriek,
    TransactieStatus,
)
from .models import Afspraak, Banktransactie, Betaling, Deelname, Journaalpost, Mutatie, Rekening
from .schema import afspraak_termijnen

# --- weights (docs/huishoudboekje.md, "Matching") ----------------------------------------

PUNTEN_KENMERK = 100  # betalingskenmerk equal: enough on its own
PUNTEN_IBAN = 40  # counterparty IBAN equal
PUNTEN_ZOEKTERMEN_ALLE = 40  # every search term in the text
PUNTEN_ZOEKTERMEN_SOMMIGE = 15  # some of them
PUNTEN_BEDRAG = 30  # amount within bedrag +/- marge_bedrag
STRAF_BEDRAG = -40  # amount off by more than half the agreed amount (plus the margin)
PUNTEN_DATUM = 20  # a term of the afspraak within +/- marge_dagen of the booking date
PUNTEN_EIGEN_BETALING = 100  # end-to-end id of one of our own payments

DREMPEL_AUTOMATISCH = 80
# The best candidate must lead the second by at least this much to be booked without a person.
MARGE_TWIJFEL = 20
# An IBAN shared by more afspraken than this (UWV, Belastingdienst) does not make them
# candidates during the import by itself: a betalingskenmerk or a search term must point at
# them (scoring 10,000 households for every UWV line would be slow and ambiguous anyway).
MAX_KANDIDATEN_PER_IBAN = 50

# Codes stored in Banktransactie.redenen.
IBAN = "iban"
KENMERK = "kenmerk"
ZOEKTERMEN_ALLE = "zoektermen_alle"
ZOEKTERMEN_SOMMIGE = "zoektermen_sommige"
BEDRAG = "bedrag"
BEDRAG_PRECIES = "bedrag_precies"
BEDRAG_ANDERS = "bedrag_anders"
DATUM = "datum"
EIGEN_BETALING = "eigen_betaling"
RETOUR = "retour"
UITGESLOTEN_RICHTING = "richting"
UITGESLOTEN_GELDIGHEID = "geldigheid"
UITGESLOTEN_DEELNAME = "deelname"


class BoekenGeweigerd(ValueError):
    """A booking that is not allowed (line not open, wrong direction, other account). The
    message is Dutch and contains no personal data."""


@dataclass(frozen=True, slots=True)
class Reden:
    code: str
    punten: int
    tekst: str


@dataclass(frozen=True, slots=True)
class Score:
    punten: int
    redenen: tuple[Reden, ...]
    uitgesloten: bool = False  # direction, validity or participation does not fit

    @property
    def automatisch(self) -> bool:
        return not self.uitgesloten and self.punten >= DREMPEL_AUTOMATISCH

    def als_json(self) -> list[dict]:
        return [{"code": r.code, "punten": r.punten} for r in self.redenen]


@dataclass(frozen=True, slots=True)
class Kandidaat:
    afspraak: Afspraak
    score: Score


TermijnenFn = Callable[[Afspraak, date, date], list[date]]


def _richting_past(transactie, afspraak) -> bool:
    return transactie.richting == afspraak.richting


def _zoektekst(transactie) -> str:
    return f"{transactie.omschrijving or ''} {transactie.tegenpartij_naam or ''}".casefold()


def score(
    transactie,
    afspraak: Afspraak,
    *,
    vandaag: date | None = None,
    termijnen: TermijnenFn | None = None,
    _tekst: str | None = None,
) -> Score:
    """How well ``transactie`` (a Banktransactie, saved or not) fits ``afspraak``.

    Excluded (``uitgesloten``, 0 points): money in against an expense or money out
    against an income; the afspraak not valid on the booking date (with ``marge_dagen``
    leeway); the deelname not active on that date. ``vandaag`` is the reference date
    when the line has no booking date. ``termijnen`` lets the import pass a cached
    version of :func:`schema.afspraak_termijnen`.
    """
    punten, codes, uitgesloten = beoordelen(
        transactie, afspraak, vandaag=vandaag, termijnen=termijnen, tekst=_tekst
    )
    return Score(
        punten, tuple(Reden(code, p, reden_tekst(code, afspraak)) for code, p in codes), uitgesloten
    )


def reden_tekst(code: str, afspraak: Afspraak) -> str:
    """The sentence for a reason code (also for the codes stored on a bank line)."""
    bedrag = {"bedrag": euro(afspraak.bedrag)}
    if code == UITGESLOTEN_RICHTING:
        if afspraak.richting == Richting.UITGAVE:
            return _("Geld komt binnen, maar dit is een uitgave")
        return _("Geld gaat weg, maar dit is inkomen")
    if code == DATUM and afspraak.marge_dagen:
        return _("Datum past bij de afspraak (binnen %(dagen)s dagen)") % {
            "dagen": afspraak.marge_dagen
        }
    teksten = {
        UITGESLOTEN_GELDIGHEID: _("De afspraak geldt niet op deze datum"),
        UITGESLOTEN_DEELNAME: _("Het huishouden doet op deze datum niet mee"),
        IBAN: _("IBAN van de tegenpartij klopt"),
        KENMERK: _("Betalingskenmerk klopt"),
        ZOEKTERMEN_ALLE: _("Alle zoektermen staan in de omschrijving"),
        ZOEKTERMEN_SOMMIGE: _("Een deel van de zoektermen staat in de omschrijving"),
        BEDRAG_PRECIES: _("Bedrag is precies het afgesproken bedrag (%(bedrag)s)") % bedrag,
        BEDRAG: _("Bedrag past binnen de marge (%(bedrag)s)") % bedrag,
        BEDRAG_ANDERS: _("Bedrag wijkt veel af van de afspraak (%(bedrag)s)") % bedrag,
        DATUM: _("Datum past bij de afspraak"),
        EIGEN_BETALING: _("Dit is onze eigen betaling (betalingskenmerk van de bank klopt)"),
        RETOUR: _("Onze betaling is teruggekomen"),
    }
    return teksten.get(code, code)


class _Afgeleid(NamedTuple):
    """What scoring derives from an afspraak alone (the import's Matcher keeps these per
    afspraak instead of deriving them again for every bank line)."""

    speling: timedelta  # marge_dagen
    kenmerk: str  # the betalingskenmerk without spaces, upper case ("" for none)
    termen: tuple[str, ...]  # the search terms, case-folded


def _afleiden(afspraak) -> _Afgeleid:
    return _Afgeleid(
        speling=timedelta(days=afspraak.marge_dagen),
        kenmerk=_compact(afspraak.betalingskenmerk) if afspraak.betalingskenmerk else "",
        termen=tuple(t.casefold().strip() for t in afspraak.zoektermen or () if t and t.strip()),
    )


def beoordelen(
    transactie,
    afspraak: Afspraak,
    *,
    vandaag: date | None = None,
    termijnen: TermijnenFn | None = None,
    tekst: str | None = None,
    afgeleid: _Afgeleid | None = None,
) -> tuple[int, tuple[tuple[str, int], ...], bool]:
    """The score without sentences: (points, ((code, points), ...), excluded). The import
    calls this for every candidate; the sentences are made only for people."""
    dag = transactie.boekdatum or vandaag or timezone.localdate()
    if transactie.richting != afspraak.richting:
        return 0, ((UITGESLOTEN_RICHTING, 0),), True
    if afgeleid is None:
        afgeleid = _afleiden(afspraak)
    speling = afgeleid.speling
    if dag + speling < afspraak.geldig_vanaf or (
        afspraak.geldig_tot is not None and dag - speling > afspraak.geldig_tot
    ):
        return 0, ((UITGESLOTEN_GELDIGHEID, 0),), True
    deelname = afspraak.deelname
    if dag < deelname.startdatum or (deelname.einddatum is not None and dag > deelname.einddatum):
        return 0, ((UITGESLOTEN_DEELNAME, 0),), True

    codes: list[tuple[str, int]] = []
    if (
        transactie.tegenrekening_iban
        and transactie.tegenrekening_iban == afspraak.tegenrekening_iban
    ):
        codes.append((IBAN, PUNTEN_IBAN))
    if (
        afgeleid.kenmerk
        and transactie.betalingskenmerk
        and _compact(transactie.betalingskenmerk) == afgeleid.kenmerk
    ):
        codes.append((KENMERK, PUNTEN_KENMERK))
    termen = afgeleid.termen
    if termen:
        if tekst is None:
            tekst = _zoektekst(transactie)
        gevonden = sum(1 for t in termen if t in tekst)
        if gevonden == len(termen):
            codes.append((ZOEKTERMEN_ALLE, PUNTEN_ZOEKTERMEN_ALLE))
        elif gevonden:
            codes.append((ZOEKTERMEN_SOMMIGE, PUNTEN_ZOEKTERMEN_SOMMIGE))
    verschil = abs(transactie.bedrag - afspraak.bedrag)
    if verschil <= afspraak.marge_bedrag:
        codes.append((BEDRAG_PRECIES if verschil == 0 else BEDRAG, PUNTEN_BEDRAG))
    elif verschil > afspraak.bedrag / 2 + afspraak.marge_bedrag:
        codes.append((BEDRAG_ANDERS, STRAF_BEDRAG))
    if (termijnen or afspraak_termijnen)(afspraak, dag - speling, dag + speling):
        codes.append((DATUM, PUNTEN_DATUM))
    return max(0, sum(p for _c, p in codes)), tuple(codes), False


def _compact(waarde: str) -> str:
    return "".join(waarde.split()).upper()


def beste_keuze(kandidaten: list[Kandidaat]) -> Kandidaat | None:
    """The candidate to book automatically: above the threshold and clearly ahead of the
    second (within MARGE_TWIJFEL of each other is a guess, and we do not guess)."""
    geldig = sorted(
        (k for k in kandidaten if not k.score.uitgesloten), key=lambda k: -k.score.punten
    )
    if not geldig or not geldig[0].score.automatisch:
        return None
    if len(geldig) > 1 and geldig[0].score.punten - geldig[1].score.punten < MARGE_TWIJFEL:
        return None
    return geldig[0]


# --- matching during the import ---------------------------------------------------------

_WOORD = re.compile(r"\w+")


@dataclass(slots=True)
class _DeelnameKort:
    """The fields of a Deelname that scoring reads."""

    startdatum: date
    einddatum: date | None


@dataclass(slots=True)
class _AfspraakKort:
    """The fields of an Afspraak that scoring, its terms and the import read, with its
    deelname as ``.deelname``: what :meth:`Matcher.voor` loads for 10,000s of afspraken
    (model instances with their deelname take twice as long to load:
    benchmarks/huishoudboekje_inlezen_onderdelen.py). Slots: read on every candidate of
    every line, twice as fast as a NamedTuple's fields."""

    pk: int
    deelname_id: int
    richting: str
    rubriek: str
    tegenrekening_iban: str
    bedrag: Decimal
    marge_bedrag: Decimal
    marge_dagen: int
    frequentie: str
    dag: int
    maand: int
    uitgesloten_datums: list
    geldig_vanaf: date
    geldig_tot: date | None
    zoektermen: list
    betalingskenmerk: str
    deelname: _DeelnameKort


# The model fields of the records, in their order (``deelname`` is built apart).
_VELDEN_AFSPRAAK = tuple(f.name for f in fields(_AfspraakKort))[:-1]
_VELDEN_DEELNAME = tuple(f.name for f in fields(_DeelnameKort))


class Matcher:
    """The afspraken of one tussenrekening's deelnames, loaded once and indexed by IBAN,
    betalingskenmerk and search-term word, for matching a whole file in memory."""

    def __init__(self, afspraken: Iterable[Afspraak], *, van: date, tot: date) -> None:
        self.per_iban: dict[str, list[Afspraak]] = defaultdict(list)
        self.per_kenmerk: dict[str, list[Afspraak]] = defaultdict(list)
        self.per_woord: dict[str, list[Afspraak]] = defaultdict(list)
        self.afgeleid: dict[int, _Afgeleid] = {}
        self.aantal = 0
        for afspraak in afspraken:
            self.aantal += 1
            self.afgeleid[afspraak.pk] = _afleiden(afspraak)
            if afspraak.tegenrekening_iban:
                self.per_iban[afspraak.tegenrekening_iban].append(afspraak)
            if afspraak.betalingskenmerk:
                self.per_kenmerk[_compact(afspraak.betalingskenmerk)].append(afspraak)
            for term in afspraak.zoektermen or ():
                woorden = _WOORD.findall(str(term).casefold())
                if woorden:
                    self.per_woord[max(woorden, key=len)].append(afspraak)
        self._van, self._tot = van, tot
        self._termijnen: dict[int, frozenset[date]] = {}

    @classmethod
    def voor(cls, tussenrekening, *, van: date, tot: date) -> Matcher:
        """One query: the afspraken (with deelname) that can apply in ``van``..``tot``."""
        rand = timedelta(days=31)  # marge_dagen is at most a few days; a month is ample
        rijen = (
            Afspraak.objects.filter(
                deelname__tussenrekening=tussenrekening, geldig_vanaf__lte=tot + rand
            )
            .exclude(geldig_tot__lt=van - rand)
            .exclude(deelname__einddatum__lt=van)
            .values_list(*_VELDEN_AFSPRAAK, *(f"deelname__{v}" for v in _VELDEN_DEELNAME))
        )
        deelnames: dict[int, _DeelnameKort] = {}
        afspraken = []
        n = len(_VELDEN_AFSPRAAK)
        for rij in rijen:
            deelname = deelnames.get(rij[1])  # deelname_id
            if deelname is None:
                deelname = deelnames[rij[1]] = _DeelnameKort(*rij[n:])
            afspraken.append(_AfspraakKort(*rij[:n], deelname))
        return cls(afspraken, van=van - rand, tot=tot + rand)

    def termijnen(self, afspraak: Afspraak, van: date, tot: date) -> list[date]:
        """afspraak_termijnen with the file's date range computed once per afspraak."""
        if not (self._van <= van and tot <= self._tot):
            return afspraak_termijnen(afspraak, van, tot)
        reeks = self._termijnen.get(afspraak.pk)
        if reeks is None:
            reeks = self._termijnen[afspraak.pk] = frozenset(
                afspraak_termijnen(afspraak, self._van, self._tot)
            )
        dag, stap = van, timedelta(days=1)
        while dag <= tot:
            if dag in reeks:
                return [dag]
            dag += stap
        return []

    def kandidaten(self, transactie) -> list[Kandidaat]:
        """Every candidate with its full score (sentences included), for people."""
        return [
            Kandidaat(a, score(transactie, a, termijnen=self.termijnen))
            for a in self._gezien(transactie)[1]
        ]

    def _gezien(self, transactie) -> tuple[str, list[Afspraak]]:
        tekst = _zoektekst(transactie)
        gezien: dict[int, Afspraak] = {}
        if transactie.betalingskenmerk:
            for a in self.per_kenmerk.get(_compact(transactie.betalingskenmerk), ()):
                gezien[a.pk] = a
        if self.per_woord:
            # Only the words some afspraak is indexed by (a set intersection in C).
            for woord in self.per_woord.keys() & set(_WOORD.findall(tekst)):
                for a in self.per_woord[woord]:
                    gezien[a.pk] = a
        if transactie.tegenrekening_iban:
            per_iban = self.per_iban.get(transactie.tegenrekening_iban, ())
            if len(per_iban) <= MAX_KANDIDATEN_PER_IBAN:
                for a in per_iban:
                    gezien[a.pk] = a
        return tekst, list(gezien.values())

    def beste(self, transactie) -> tuple[Afspraak, int, list[dict]] | None:
        """The afspraak to book automatically (see :func:`beste_keuze`), its points and
        its reasons as stored on the line; None when there is none or it is a guess."""
        tekst, afspraken = self._gezien(transactie)
        beste = None
        tweede = -1
        for a in afspraken:
            punten, codes, uitgesloten = beoordelen(
                transactie, a, termijnen=self.termijnen, tekst=tekst, afgeleid=self.afgeleid[a.pk]
            )
            if uitgesloten:
                continue
            if beste is None or punten > beste[1]:
                if beste is not None:
                    tweede = max(tweede, beste[1])
                beste = (a, punten, codes)
            else:
                tweede = max(tweede, punten)
        if beste is None or beste[1] < DREMPEL_AUTOMATISCH or beste[1] - tweede < MARGE_TWIJFEL:
            return None
        return beste[0], beste[1], [{"code": c, "punten": p} for c, p in beste[2]]


# --- suggestions and manual booking -----------------------------------------------------


def suggesties(
    *, transactie: Banktransactie, deelnames, limiet: int = 5, vandaag: date | None = None
) -> list[Kandidaat]:
    """Ranked candidates (best first, excluded ones left out) among the afspraken of
    ``deelnames`` (a queryset the user may see) on the line's tussenrekening."""
    afspraken = (
        Afspraak.objects.filter(
            deelname__in=deelnames, deelname__tussenrekening_id=transactie.tussenrekening_id
        )
        .select_related("deelname", "organisatie")
        .order_by("pk")
    )
    kandidaten = []
    tekst = _zoektekst(transactie)
    for afspraak in afspraken:
        s = score(transactie, afspraak, vandaag=vandaag, _tekst=tekst)
        if not s.uitgesloten and s.punten > 0:
            kandidaten.append(Kandidaat(afspraak, s))
    kandidaten.sort(key=lambda k: (-k.score.punten, k.afspraak.pk))
    return kandidaten[:limiet]


def _vergrendel_open(transactie: Banktransactie) -> Banktransactie:
    t = (
        Banktransactie.objects.select_for_update()
        .select_related("tussenrekening")
        .get(pk=transactie.pk)
    )
    if t.status != TransactieStatus.OPEN:
        raise BoekenGeweigerd(_("Deze bankregel is al geboekt. Maak de boeking eerst ongedaan."))
    return t


def _teken(t: Banktransactie) -> Decimal:
    """The line's amount as it moves the owner's balance on the ledger: money in is credited
    (negative) to the household or category, money out debited (positive)."""
    return -t.bedrag if t.richting == Richting.INKOMEN else t.bedrag


def _naar_rekening(
    *,
    actor,
    t: Banktransactie,
    soort: str,
    rekening: Rekening,
    rubriek: str,
    afspraak: Afspraak | None,
) -> Journaalpost:
    _bank, onverdeeld = grootboek.systeemrekeningen(t.tussenrekening)
    bedrag = _teken(t)
    return grootboek.boeken(
        gemeente=t.tussenrekening.gemeente_id,
        soort=soort,
        datum=timezone.localdate(),
        regels=[
            grootboek.Regel(
                rekening=rekening,
                bedrag=bedrag,
                rubriek=rubriek,
                afspraak=afspraak,
                banktransactie=t,
                datum=t.boekdatum,
            ),
            grootboek.Regel(
                rekening=onverdeeld, bedrag=-bedrag, banktransactie=t, datum=t.boekdatum
            ),
        ],
        omschrijving=f"Bankregel {t.pk}",
        door=actor,
    )


def handmatig_boeken(
    *,
    actor,
    transactie: Banktransactie,
    afspraak: Afspraak | None = None,
    deelname: Deelname | None = None,
    rubriek: str = "",
    score_: Score | None = None,
) -> Journaalpost:
    """Book an open line on an afspraak (journaalpost MATCH) or on a household without
    afspraak (HANDMATIG, with ``rubriek``): ONVERDEELD -> HUISHOUDEN."""
    if afspraak is None and deelname is None:
        raise BoekenGeweigerd(_("Kies een afspraak of een huishouden."))
    with transaction.atomic():
        t = _vergrendel_open(transactie)
        if afspraak is not None:
            if deelname is not None and deelname.pk != afspraak.deelname_id:
                raise BoekenGeweigerd(_("Deze afspraak hoort niet bij dit huishouden."))
            deelname = afspraak.deelname
            if afspraak.richting != t.richting:
                raise BoekenGeweigerd(_("Deze afspraak past niet bij de richting van het geld."))
            rubriek = afspraak.rubriek
        if deelname.tussenrekening_id != t.tussenrekening_id:
            raise BoekenGeweigerd(_("Dit huishouden hoort bij een andere rekening."))
        if rubriek and rubriek not in Rubriek.values:
            raise BoekenGeweigerd(_("Deze rubriek bestaat niet."))
        post = _naar_rekening(
            actor=actor,
            t=t,
            soort=JournaalSoort.MATCH if afspraak is not None else JournaalSoort.HANDMATIG,
            rekening=grootboek.huishoudrekening(deelname),
            rubriek=rubriek,
            afspraak=afspraak,
        )
        s = score_ if score_ is not None else (score(t, afspraak) if afspraak is not None else None)
        Banktransactie.objects.filter(pk=t.pk).update(
            status=TransactieStatus.GEBOEKT,
            afspraak=afspraak,
            deelname=deelname,
            categorie=None,
            automatisch=False,
            score=s.punten if s is not None else None,
            redenen=s.als_json() if s is not None else [],
        )
        audit_record(
            actor=actor,
            actie=Actie.WIJZIGEN,
            object_type="huishoudboekje.banktransactie",
            object_id=t.pk,
            huishouden_id=deelname.huishouden_id,
            doel=DOEL,
            details={
                "journaalpost": post.pk,
                "afspraak": afspraak.pk if afspraak else None,
                "handeling": "boeken",
            },
        )
    transactie.refresh_from_db()
    return post


def op_categorie_boeken(*, actor, transactie: Banktransactie, categorie: str) -> Journaalpost:
    """Book an open line that belongs to no household on a gemeente category (e.g.
    "Bankkosten"): ONVERDEELD -> CATEGORIE (journaalpost CATEGORIE)."""
    with transaction.atomic():
        t = _vergrendel_open(transactie)
        rekening = grootboek.categorierekening(gemeente=t.tussenrekening.gemeente, naam=categorie)
        post = _naar_rekening(
            actor=actor,
            t=t,
            soort=JournaalSoort.CATEGORIE,
            rekening=rekening,
            rubriek="",
            afspraak=None,
        )
        Banktransactie.objects.filter(pk=t.pk).update(
            status=TransactieStatus.GEBOEKT,
            afspraak=None,
            deelname=None,
            categorie=rekening,
            automatisch=False,
            score=None,
            redenen=[],
        )
        audit_record(
            actor=actor,
            actie=Actie.WIJZIGEN,
            object_type="huishoudboekje.banktransactie",
            object_id=t.pk,
            doel=DOEL,
            details={"journaalpost": post.pk, "categorie": rekening.pk, "handeling": "categorie"},
        )
    transactie.refresh_from_db()
    return post


def ongedaan_maken(*, actor, transactie: Banktransactie) -> Journaalpost:
    """Undo the booking of a line: it is OPEN again and its amount is back on ONVERDEELD.

    The ledger keeps both: a journaalpost ONGEDAAN mirrors the booking. A line booked by
    its own journaalpost (MATCH, HANDMATIG, CATEGORIE) has that post reversed as a whole
    (``draait_terug``). A line booked inside an import chunk shares its journaalpost with
    thousands of others; only its own mutations are reversed: what the line put on the
    household or category (its mutations carry ``banktransactie``) goes back to
    ONVERDEELD. Our own payment linked to the line goes back to VERZONDEN, a returned
    one back to UITGEVOERD.
    """
    with transaction.atomic():
        t = (
            Banktransactie.objects.select_for_update()
            .select_related("tussenrekening")
            .get(pk=transactie.pk)
        )
        if t.status != TransactieStatus.GEBOEKT:
            raise BoekenGeweigerd(
                _("Deze bankregel is niet geboekt; er is niets ongedaan te maken.")
            )
        mutaties = list(
            Mutatie.objects.filter(banktransactie=t)
            .exclude(rekening__soort__in=[RekeningSoort.BANK, RekeningSoort.ONVERDEELD])
            .select_related("rekening", "journaalpost")
            .order_by("pk")
        )
        netto: dict[int, Decimal] = defaultdict(Decimal)
        rekeningen: dict[int, Rekening] = {}
        laatste: Mutatie | None = None
        for m in mutaties:
            netto[m.rekening_id] += m.bedrag
            rekeningen[m.rekening_id] = m.rekening
            if m.journaalpost.soort != JournaalSoort.ONGEDAAN:
                laatste = m
        open_ = {pk: b for pk, b in netto.items() if b != 0}
        if not open_ or laatste is None:
            raise BoekenGeweigerd(_("Bij deze bankregel staat geen boeking in het grootboek."))
        post_origineel = laatste.journaalpost
        eigen_post = post_origineel.soort in (
            JournaalSoort.MATCH,
            JournaalSoort.HANDMATIG,
            JournaalSoort.CATEGORIE,
        )
        if eigen_post and not Journaalpost.objects.filter(draait_terug=post_origineel).exists():
            post = grootboek.terugdraaien(
                journaalpost=post_origineel,
                door=actor,
                datum=timezone.localdate(),
                omschrijving=f"Bankregel {t.pk} ongedaan gemaakt",
            )
        else:
            _bank, onverdeeld = grootboek.systeemrekeningen(t.tussenrekening)
            regels = [
                grootboek.Regel(
                    rekening=rekeningen[pk],
                    bedrag=-bedrag,
                    afspraak=t.afspraak,
                    banktransactie=t,
                    rubriek=laatste.rubriek,
                )
                for pk, bedrag in sorted(open_.items())
            ]
            regels.append(
                grootboek.Regel(
                    rekening=onverdeeld,
                    bedrag=sum(open_.values(), Decimal("0.00")),
                    banktransactie=t,
                )
            )
            post = grootboek.boeken(
                gemeente=t.tussenrekening.gemeente_id,
                soort=JournaalSoort.ONGEDAAN,
                datum=timezone.localdate(),
                regels=regels,
                omschrijving=f"Bankregel {t.pk} ongedaan gemaakt",
                door=actor,
            )
        huishouden_id = t.deelname.huishouden_id if t.deelname_id else None
        Banktransactie.objects.filter(pk=t.pk).update(
            status=TransactieStatus.OPEN,
            afspraak=None,
            deelname=None,
            categorie=None,
            automatisch=False,
            score=None,
            redenen=[],
        )
        if t.richting == Richting.UITGAVE:
            Betaling.objects.filter(banktransactie=t, status=BetalingStatus.UITGEVOERD).update(
                status=BetalingStatus.VERZONDEN, banktransactie=None
            )
        elif t.retourcode and t.end_to_end_id:
            # Back to what it was before the return: executed when its debit was seen, else sent.
            for betaling in Betaling.objects.filter(
                end_to_end_id=t.end_to_end_id, status=BetalingStatus.TERUGGEBOEKT
            ):
                betaling.status = (
                    BetalingStatus.UITGEVOERD
                    if betaling.banktransactie_id
                    else BetalingStatus.VERZONDEN
                )
                betaling.statusreden = ""
                betaling.save(update_fields=["status", "statusreden"])
        audit_record(
            actor=actor,
            actie=Actie.WIJZIGEN,
            object_type="huishoudboekje.banktransactie",
            object_id=t.pk,
            huishouden_id=huishouden_id,
            doel=DOEL,
            details={"journaalpost": post.pk, "handeling": "ongedaan"},
        )
    transactie.refresh_from_db()
    return post
