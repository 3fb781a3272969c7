"""Reading households. Every function here runs a fixed number of queries, whatever the
size of the data (asserted in tests/huishoudens/test_query_bounds.py)."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet

from .bsn import OngeldigBSN, bsn_blind_index, bsn_normalise
from .constants import BSN, Gegevensdeel
from .models import Buddykoppeling, Huishouden, Inkomen, Persoon, Toestemming, Wijk
from .validators import postcode_normalise


@dataclass(frozen=True, slots=True)
class HuishoudenFilter:
    zoekterm: str = ""
    wijk_id: int | None = None
    aantal_personen: int | None = None


def huishouden_list(*, zichtbaar: QuerySet[Huishouden], filter: HuishoudenFilter) -> QuerySet[Huishouden]:
    """Search (name, postcode, or exact BSN through the blind index) and filter a caseload.
    `zichtbaar` must already hold only households the user may find this way: see
    huishouden_filter_parts."""
    households = zichtbaar.select_related("adres", "adres__wijk", "contactpersoon")
    term = filter.zoekterm.strip()
    if term:
        households = households.filter(_search_condition(term)[0])
    if filter.wijk_id:
        households = households.filter(wijk_id=filter.wijk_id)
    if filter.aantal_personen:
        if filter.aantal_personen >= 5:
            households = households.filter(aantal_personen__gte=5)
        else:
            households = households.filter(aantal_personen=filter.aantal_personen)
    return households.order_by("naam", "pk")


class HuishoudenPaginator(Paginator):
    """Pages through a household list in one query that first picks the page's ids on the
    household table alone and only then joins address, wijk and contactpersoon for those
    rows. With a plain OFFSET, PostgreSQL joined every skipped row (page 1,000 of a caseload
    of 37,000: 25,000 address lookups, see benchmarks/huishoudens_pagina.py)."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        page_ids = self.object_list.values("pk")[bottom:top]
        return self._get_page(self.object_list.filter(pk__in=page_ids), number, self)


def huishouden_filter_parts(filter: HuishoudenFilter) -> frozenset[str]:
    """The parts of a household's data (Gegevensdeel, or BSN) that this search and these
    filters match on. A household may only be found through data the user may see there
    (policies.households_searchable_by), or the result would reveal that data."""
    parts = set()
    term = filter.zoekterm.strip()
    if term:
        parts.add(_search_condition(term)[1])
    if filter.wijk_id:
        parts.add(Gegevensdeel.CONTACT)  # the address's wijk
    if filter.aantal_personen:
        parts.add(Gegevensdeel.PERSONALIA)  # the household's size
    return frozenset(parts)


def _search_condition(term: str) -> tuple[Q, str]:
    """The condition for a search term, and the part of the data it matches on."""
    digits = term.replace(" ", "").replace(".", "")
    if digits.isdigit() and len(digits) in (8, 9):
        try:
            index = bsn_blind_index(bsn_normalise(digits))
        except OngeldigBSN:
            return Q(pk__in=[]), BSN
        return Q(personen__bsn_index=index), BSN
    try:
        postcode = postcode_normalise(term)
    except ValidationError:
        postcode = None
    if postcode:
        return Q(adres__postcode=postcode), Gegevensdeel.CONTACT
    return Q(naam__icontains=term), Gegevensdeel.PERSONALIA


def huishouden_detail(*, zichtbaar: QuerySet[Huishouden], uuid) -> Huishouden | None:
    """One household with everything its page shows, in a fixed number of queries."""
    personen = Persoon.objects.order_by("geboortedatum").prefetch_related(
        Prefetch("inkomsten", queryset=Inkomen.objects.order_by("pk"))
    )
    return (
        zichtbaar.select_related("adres", "adres__wijk", "gemeente", "team", "contactpersoon")
        .prefetch_related(
            Prefetch("personen", queryset=personen),
            Prefetch("toestemmingen", queryset=Toestemming.objects.select_related("ontvanger_gebruiker").order_by("-geldig_tot")),
            Prefetch("buddykoppelingen", queryset=Buddykoppeling.objects.select_related("buddy").order_by("-vanaf")),
        )
        .filter(uuid=uuid)
        .first()
    )


def huishouden_id_by_uuid(*, uuid) -> int | None:
    """The id of any household with this uuid, visible or not: for the audit entry of a refusal."""
    return Huishouden.objects.filter(uuid=uuid).values_list("pk", flat=True).first()


def wijken_for_gemeente(*, gemeente_id: int) -> QuerySet[Wijk]:
    return Wijk.objects.filter(gemeente_id=gemeente_id).order_by("naam")


def persoon_by_bsn(*, bsn: str) -> Persoon | None:
    return Persoon.objects.filter(bsn_index=bsn_blind_index(bsn_normalise(bsn))).select_related("huishouden").first()


def huishoudens_bij_bsn_indexen(*, indexen: list[str]) -> dict[str, tuple[int, int]]:
    """For known BSN blind indexes: index -> (huishouden id, gemeente id). For imports."""
    gevonden: dict[str, tuple[int, int]] = {}
    for start in range(0, len(indexen), 500):
        rijen = Persoon.objects.filter(bsn_index__in=indexen[start : start + 500]).values_list(
            "bsn_index", "huishouden_id", "huishouden__gemeente_id"
        )
        gevonden.update({index: (huishouden, gemeente) for index, huishouden, gemeente in rijen})
    return gevonden
