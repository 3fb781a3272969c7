"""The letter to a household as a PDF: a short B1 'kaartje', not legal prose (WeasyPrint)."""

from __future__ import annotations

from decimal import Decimal

from django.template.loader import render_to_string

from perspectief.core.bedragen import euro


def brief_context(*, definitie: dict, code: str, bedrag_per_jaar: Decimal, aanvrager, adres, gemeente,
                  klantmanager, datum) -> dict:
    """What the letter says: the scheme from the catalogue, the amount, what to do, contact."""
    return {
        "aanvrager": aanvrager, "adres": adres, "gemeente": gemeente, "klantmanager": klantmanager, "datum": datum,
        "naam": definitie.get("naam", code), "omschrijving": definitie.get("omschrijving", ""),
        "aanvragen": definitie.get("aanvragen", ""), "url": definitie.get("url", ""),
        "per_jaar": euro(Decimal(bedrag_per_jaar)), "per_maand": euro(Decimal(bedrag_per_jaar) / 12),
    }


def brief_html(*, context: dict) -> str:
    return render_to_string("proactief/brief.html", context)


def brief_pdf(*, context: dict) -> bytes:
    from weasyprint import HTML

    return HTML(string=brief_html(context=context)).write_pdf()
