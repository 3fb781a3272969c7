"""What the resident's own page (/mijn-huishoudboekje/) shows, read in plain words:
upcoming payments, recent bank lines, the next leefgeld and the money set aside. Reads
only; the view decides who may see it and logs the read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from . import budget, schema
from .constants import BetalingSoort, BetalingStatus, Richting
from .models import Afspraak, Banktransactie, Betaling, Deelname

DAGEN_VOORUIT = 30
RECENTE_REGELS = 10
# Payments still to go out (a payment "uitgevoerd" is on the statement already).
_NOG_TE_BETALEN = (BetalingStatus.GEPLAND, BetalingStatus.IN_BATCH, BetalingStatus.VERZONDEN)


@dataclass(frozen=True, slots=True)
class KomendeBetaling:
    wat: str  # "Huur", "Leefgeld"
    aan: str  # the organisation, or "uw eigen rekening"
    bedrag: Decimal
    datum: dt.date


@dataclass(frozen=True, slots=True)
class Regel:
    binnen: bool  # money in (for the household) or out
    wie: str
    wat: str
    bedrag: Decimal
    datum: dt.date


def komende_betalingen(*, deelname: Deelname, vandaag: dt.date, dagen: int = DAGEN_VOORUIT) -> list[KomendeBetaling]:
    """The payments of the next `dagen` days by their term (the day the money is due):
    those already on their way, and the terms of the fixed costs not planned yet."""
    tot = vandaag + dt.timedelta(days=dagen)
    gepland = list(
        Betaling.objects.filter(deelname=deelname, status__in=_NOG_TE_BETALEN, termijn__gte=vandaag, termijn__lte=tot)
        .select_related("afspraak__organisatie")
    )
    uit: list[KomendeBetaling] = [_als_komend(b) for b in gepland]
    # Terms with a payment are done (paid, on their way, or cancelled on purpose); a term
    # whose payment the bank refused or returned will be paid again.
    al_gepland = set(
        Betaling.objects.filter(deelname=deelname, termijn__gte=vandaag, termijn__lte=tot)
        .exclude(status__in=(BetalingStatus.GEWEIGERD, BetalingStatus.TERUGGEBOEKT))
        .values_list("afspraak_id", "termijn")
    )
    afspraken = Afspraak.objects.filter(deelname=deelname, richting=Richting.UITGAVE, betalen=True).select_related("organisatie")
    for afspraak in afspraken:
        for termijn in schema.afspraak_termijnen(afspraak, vandaag, tot):
            if (afspraak.pk, termijn) not in al_gepland:
                uit.append(KomendeBetaling(
                    wat=afspraak.get_rubriek_display(), aan=afspraak.organisatie.naam, bedrag=afspraak.bedrag,
                    datum=termijn,
                ))
    return sorted(uit, key=lambda b: (b.datum, b.wat))


def _als_komend(betaling: Betaling) -> KomendeBetaling:
    if betaling.soort == BetalingSoort.LEEFGELD:
        return KomendeBetaling(wat=_("Leefgeld"), aan=_("uw eigen rekening"), bedrag=betaling.bedrag, datum=betaling.termijn)
    afspraak = betaling.afspraak
    return KomendeBetaling(
        wat=afspraak.get_rubriek_display(), aan=afspraak.organisatie.naam, bedrag=betaling.bedrag, datum=betaling.termijn,
    )


def recente_regels(*, deelname: Deelname, aantal: int = RECENTE_REGELS) -> list[Regel]:
    """The household's latest bank lines in plain words: who, what, how much, when."""
    transacties = (
        Banktransactie.objects.filter(deelname=deelname)
        .select_related("afspraak__organisatie")
        .order_by("-boekdatum", "-pk")[:aantal]
    )
    regels = []
    for t in transacties:
        binnen = t.richting == Richting.INKOMEN  # seen from the tussenrekening: money in
        if t.afspraak_id:
            wie, wat = t.afspraak.organisatie.naam, t.afspraak.get_rubriek_display()
        elif not binnen and t.tegenrekening_iban == deelname.leefgeld_iban:
            wie, wat = _("uw eigen rekening"), _("Leefgeld")
        else:
            wie, wat = t.tegenpartij_naam or _("onbekend"), _("Geld ontvangen") if binnen else _("Betaald")
        regels.append(Regel(binnen=binnen, wie=wie, wat=wat, bedrag=t.bedrag, datum=t.boekdatum))
    return regels


def volgend_leefgeld(*, deelname: Deelname, vandaag: dt.date, stand: budget.Budget) -> tuple[dt.date | None, Decimal]:
    """The next leefgeld the resident gets: the first one already on its way (planned, in a
    batch or sent; its term is the day it is on their account), otherwise what the budget
    says the next term can be."""
    onderweg = (
        Betaling.objects.filter(deelname=deelname, soort=BetalingSoort.LEEFGELD, status__in=_NOG_TE_BETALEN,
                                termijn__gte=vandaag)
        .order_by("termijn").values_list("termijn", "bedrag").first()
    )
    if onderweg is not None:
        return onderweg
    return stand.volgende_leefgeld_datum, stand.leefgeld_bedrag


def apart_voor_vaste_lasten(*, deelname: Deelname, stand: budget.Budget) -> Decimal:
    """Money of the household set aside for fixed costs: payments on their way and the
    coming terms not planned yet (leefgeld on its way is shown on its own)."""
    onderweg = Betaling.objects.filter(
        deelname=deelname, soort=BetalingSoort.VASTE_LAST, status__in=_NOG_TE_BETALEN
    ).aggregate(som=Sum("bedrag"))["som"]
    onderweg = Decimal(onderweg or 0).quantize(Decimal("0.01"))  # SQLite sums decimals as floats
    return onderweg + sum((r.bedrag for r in stand.reserveringen), Decimal("0.00"))
