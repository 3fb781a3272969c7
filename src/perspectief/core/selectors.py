"""Aggregates for the armoederegisseur: counts only, never personal data. Groups smaller
than the threshold are suppressed so no household can be singled out."""

from django.db.models import Count, F

from perspectief.huishoudens.models import Huishouden

SMALL_GROUP_THRESHOLD = 10


def household_counts_per_wijk(*, gemeente_id: int) -> list[dict]:
    rows = (
        Huishouden.objects.filter(gemeente_id=gemeente_id)
        .values("wijk__naam")
        .annotate(aantal=Count("pk"))
        .order_by(F("wijk__naam").asc(nulls_last=True))
    )
    return [
        {"wijk": row["wijk__naam"] or "Onbekend", "aantal": row["aantal"] if row["aantal"] >= SMALL_GROUP_THRESHOLD else None}
        for row in rows
    ]
