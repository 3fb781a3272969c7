"""The letter to a household as a PDF: a short B1 'kaartje', not legal prose (WeasyPrint)."""

from __future__ import annotations

from django.template.loader import render_to_string


def brief_pdf(*, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string("proactief/brief.html", context)
    return HTML(string=html).write_pdf()
