"""The result as a PDF (WeasyPrint), to take to a consultant. The same content as the page,
from its own template with its own print stylesheet; fonts and CSS come from the app's static
files, never from the network."""

from pathlib import Path

from django.template.loader import render_to_string

_CSS = Path(__file__).resolve().parent.parent / "static" / "regelingencheck" / "pdf.css"


def pdf_van_uitkomst(*, request, context: dict) -> bytes:
    from weasyprint import CSS, HTML  # imported here: loading pango is slow, only this page needs it

    html = render_to_string("regelingencheck/uitkomst_pdf.html", context, request=request)

    def geen_netwerk(url: str, *args, **kwargs):
        raise ValueError(f"no external resources in the PDF: {url}")

    return HTML(string=html, base_url=None, url_fetcher=geen_netwerk).write_pdf(
        stylesheets=[CSS(filename=str(_CSS))]
    )
