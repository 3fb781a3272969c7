"""Reading the huishoudboekje for the budgetbeheerder's screens. Every function runs a fixed
number of queries whatever the size of the data (tests/huishoudboekje/test_views_*_queries)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy

from . import matching
from .constants import BETALING_ACTIEF, BetalingSoort, RekeningSoort, SignaalStatus, TransactieStatus
from .models import (
    Afspraak,
    Bankbestand,
    Banktransactie,
    Betaling,
    Deelname,
    Mutatie,
    Rekening,
    Signaal,
    Tussenrekening,
)

NUL = Decimal("0.00")


class WerklijstFilter:
    ALLE = ""
    MET_SIGNALEN = "signalen"
    NEGATIEF = "negatief"


@dataclass(frozen=True, slots=True)
class WerklijstZoekopdracht:
    zoekterm: str = ""
    filter: str = WerklijstFilter.ALLE


def werklijst(*, zichtbaar: QuerySet[Deelname], zoekopdracht: WerklijstZoekopdracht, peildatum: dt.date) -> QuerySet[Deelname]:
    """The participations on the work list, each with `tegoed` (the household's balance),
    `open_signalen` and its next planned leefgeld (`leefgeld_datum`, `leefgeld_bedrag`), all
    as annotations: one query for a page, whatever its size."""
    open_signalen = (
        Signaal.objects.filter(deelname=OuterRef("pk"), status=SignaalStatus.OPEN)
        .order_by().values("deelname").annotate(aantal=Count("pk")).values("aantal")
    )
    leefgeld = Betaling.objects.filter(
        deelname=OuterRef("pk"), soort=BetalingSoort.LEEFGELD, status__in=BETALING_ACTIEF, uitvoerdatum__gte=peildatum,
    ).order_by("uitvoerdatum", "pk")
    deelnames = (
        zichtbaar.select_related("huishouden", "budgetbeheerder")
        .annotate(
            tegoed=Coalesce(-F("rekening__saldo"), Value(NUL), output_field=DecimalField(max_digits=14, decimal_places=2)),
            open_signalen=Coalesce(Subquery(open_signalen, output_field=IntegerField()), Value(0)),
            leefgeld_datum=Subquery(leefgeld.values("uitvoerdatum")[:1]),
            leefgeld_bedrag=Subquery(leefgeld.values("bedrag")[:1]),
        )
    )
    term = zoekopdracht.zoekterm.strip()
    if term:
        deelnames = deelnames.filter(huishouden__naam__icontains=term)
    if zoekopdracht.filter == WerklijstFilter.MET_SIGNALEN:
        deelnames = deelnames.filter(Exists(Signaal.objects.filter(deelname=OuterRef("pk"), status=SignaalStatus.OPEN)))
    elif zoekopdracht.filter == WerklijstFilter.NEGATIEF:
        deelnames = deelnames.filter(rekening__saldo__gt=0)
    return deelnames.order_by("huishouden__naam", "pk")


def laatste_bankbestand(*, tussenrekeningen: QuerySet[Tussenrekening]) -> Bankbestand | None:
    return Bankbestand.objects.filter(tussenrekening__in=tussenrekeningen).order_by("-aangemaakt_op", "-pk").first()


def deelname_detail(*, zichtbaar: QuerySet[Deelname], uuid) -> Deelname | None:
    return (
        zichtbaar.select_related("huishouden", "budgetbeheerder", "tussenrekening", "rekening")
        .filter(uuid=uuid)
        .first()
    )


def deelname_id_by_uuid(*, uuid) -> tuple[int, int] | None:
    """(deelname id, huishouden id) of any participation with this uuid: for refusals."""
    return Deelname.objects.filter(uuid=uuid).values_list("pk", "huishouden_id").first()


def afspraken_van(*, deelname: Deelname) -> list[Afspraak]:
    return list(deelname.afspraken.select_related("organisatie").order_by("richting", "omschrijving", "pk"))


def mutaties_van(*, deelname: Deelname) -> QuerySet[Mutatie]:
    """The household's ledger lines, newest first, with what explains them."""
    return (
        Mutatie.objects.filter(rekening__deelname=deelname)
        .select_related("journaalpost", "banktransactie", "afspraak")
        .order_by("-datum", "-pk")
    )


def banktransacties_van(*, deelname: Deelname) -> QuerySet[Banktransactie]:
    return Banktransactie.objects.filter(deelname=deelname).select_related("afspraak").order_by("-boekdatum", "-pk")


def betalingen_van(*, deelname: Deelname) -> QuerySet[Betaling]:
    return deelname.betalingen.select_related("afspraak").order_by("-uitvoerdatum", "-pk")


def open_signalen_van(*, deelname: Deelname) -> list[Signaal]:
    return list(deelname.signalen.filter(status=SignaalStatus.OPEN).select_related("afspraak").order_by("-periode", "-pk"))


def huishoudens_zonder_deelname(*, zichtbaar_huishoudens):
    """Households of the caseload that do not take part yet (for starting a participation)."""
    return zichtbaar_huishoudens.filter(huishoudboekje__isnull=True).order_by("naam", "pk")


# --- statements and open lines ----------------------------------------------------------------


def bankbestanden(*, zichtbaar: QuerySet[Bankbestand]) -> QuerySet[Bankbestand]:
    return zichtbaar.select_related("tussenrekening", "ingelezen_door").order_by("-aangemaakt_op", "-pk")


def bankbestand_regels(*, bankbestand: Bankbestand) -> QuerySet[Banktransactie]:
    return (
        bankbestand.transacties.select_related("afspraak", "deelname__huishouden", "categorie")
        .order_by("boekdatum", "pk")
    )


def open_posten(*, zichtbaar: QuerySet[Banktransactie]) -> QuerySet[Banktransactie]:
    return zichtbaar.filter(status=TransactieStatus.OPEN).select_related("tussenrekening").order_by("boekdatum", "pk")


def transactie_detail(*, zichtbaar: QuerySet[Banktransactie], transactie_id: int) -> Banktransactie | None:
    return (
        zichtbaar.select_related("tussenrekening", "bankbestand", "afspraak", "deelname__huishouden", "categorie")
        .filter(pk=transactie_id)
        .first()
    )


def afspraken_zoeken(*, zichtbaar: QuerySet[Deelname], naam: str, peildatum: dt.date, maximum: int = 20) -> list[Deelname]:
    """Visible participations whose household name contains `naam`, each with its afspraken
    that are valid on `peildatum` prefetched (`lopende_afspraken`)."""
    lopend = Afspraak.objects.filter(Q(geldig_tot__isnull=True) | Q(geldig_tot__gte=peildatum)).select_related("organisatie")
    return list(
        zichtbaar.filter(huishouden__naam__icontains=naam.strip())
        .select_related("huishouden")
        .prefetch_related(Prefetch("afspraken", queryset=lopend.order_by("richting", "omschrijving", "pk"), to_attr="lopende_afspraken"))
        .order_by("huishouden__naam", "pk")[:maximum]
    )


def categorieen(*, gemeente_id: int) -> QuerySet[Rekening]:
    return Rekening.objects.filter(gemeente_id=gemeente_id, soort=RekeningSoort.CATEGORIE).order_by("naam")


# --- why a line was booked ---------------------------------------------------------------------

# The reasons stored on a booked line (Banktransactie.redenen: code and points), in words.
# With the afspraak at hand matching.reden_tekst says it precisely (with the agreed amount);
# these are for a line without afspraak (our own payment, a return).
REDEN_TEKSTEN = {
    "iban": gettext_lazy("IBAN van de tegenpartij klopt"),
    "kenmerk": gettext_lazy("Betalingskenmerk klopt"),
    "zoektermen_alle": gettext_lazy("Alle zoektermen staan in de omschrijving"),
    "zoektermen_sommige": gettext_lazy("Een deel van de zoektermen staat in de omschrijving"),
    "bedrag_precies": gettext_lazy("Bedrag is precies het afgesproken bedrag"),
    "bedrag": gettext_lazy("Bedrag past binnen de marge"),
    "bedrag_anders": gettext_lazy("Bedrag wijkt veel af van de afspraak"),
    "datum": gettext_lazy("Datum past bij de afspraak"),
    "eigen_betaling": gettext_lazy("Dit is onze eigen betaling (betalingskenmerk van de bank klopt)"),
    "retour": gettext_lazy("Onze betaling is teruggekomen"),
}


def redenen_met_tekst(redenen, afspraak: Afspraak | None = None) -> list[dict]:
    """Stored reasons [{"code", "punten"}] with a Dutch sentence each. No queries."""
    resultaat = []
    for reden in redenen or ():
        if not isinstance(reden, dict):
            continue
        code = reden.get("code", "")
        tekst = matching.reden_tekst(code, afspraak) if afspraak is not None else str(REDEN_TEKSTEN.get(code, code))
        resultaat.append({"code": code, "punten": reden.get("punten", 0), "tekst": tekst})
    return resultaat


# --- suggestions for a page of open lines --------------------------------------------------------

MAX_ZOEKWOORDEN = 60


def voorstellen(*, transacties, zichtbaar: QuerySet[Deelname], limiet: int = 5) -> dict[int, list]:
    """Ranked suggestions (matching.Kandidaat, best first) for each open line on a page,
    among the afspraken of the user's caseload, in two queries whatever the size of the
    caseload. Candidates are the afspraken that share the line's counterparty IBAN or
    betalingskenmerk, or one of its words in their search terms (found in SQL), scored
    and indexed in memory with the import's Matcher. An afspraak with none of those in
    common (only amount and date) is not suggested: on a caseload of thousands that would
    be a guess, and the budgetbeheerder can still find it by household name."""
    transacties = list(transacties)
    if not transacties:
        return {}
    woorden: set[str] = set()
    for t in transacties:
        tekst = f"{t.omschrijving or ''} {t.tegenpartij_naam or ''}".casefold()
        woorden.update(w for w in re.findall(r"\w+", tekst) if len(w) >= 3 and not w.isdigit() or len(w) >= 5)
    voorwaarde = Q(tegenrekening_iban__in={t.tegenrekening_iban for t in transacties if t.tegenrekening_iban})
    kenmerken = {t.betalingskenmerk for t in transacties if t.betalingskenmerk}
    if kenmerken:
        voorwaarde |= Q(betalingskenmerk__in=kenmerken)
    for woord in sorted(woorden, key=len, reverse=True)[:MAX_ZOEKWOORDEN]:
        voorwaarde |= Q(zoektermen__icontains=woord)
    datums = [t.boekdatum for t in transacties]
    afspraken = list(
        Afspraak.objects.filter(voorwaarde, deelname__in=zichtbaar, deelname__tussenrekening_id__in={t.tussenrekening_id for t in transacties})
        .select_related("deelname", "organisatie")
    )
    prefetch_related_objects([a.deelname for a in afspraken], "huishouden")
    matcher = matching.Matcher(afspraken, van=min(datums) - dt.timedelta(days=31), tot=max(datums) + dt.timedelta(days=31))
    uitkomst = {}
    for t in transacties:
        kandidaten = [
            k for k in matcher.kandidaten(t)
            if not k.score.uitgesloten and k.score.punten > 0 and k.afspraak.deelname.tussenrekening_id == t.tussenrekening_id
        ]
        kandidaten.sort(key=lambda k: (-k.score.punten, k.afspraak.pk))
        uitkomst[t.pk] = kandidaten[:limiet]
    return uitkomst
