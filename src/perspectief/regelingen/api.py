"""The public JSON API (/api/v1/): the rules engine's contract over HTTP.

- POST /api/v1/berekening/  body: rekenregels' household JSON; answer: its result JSON
- POST /api/v1/armoedeval/  body: rekenregels' armoedeval input; answer: its result JSON
- GET  /api/v1/gemeenten/<slug>/regelingen/  the municipality's published schemes

The municipality of a household (``gemeente``: slug or CBS code) is looked up in the
platform first, so the API uses the catalogue that the public check uses on the peildatum.
Anonymous, no session, no personal data stored or logged: the body is computed and
forgotten. Throttled per client address (DRF AnonRateThrottle on the default cache).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from rekenregels import (
    CatalogusFout,
    Fout,
    InvoerFout,
    ParameterOntbreekt,
    armoedeval,
    bereken,
    valideer_huishouden,
)

from .selectors import catalogus_voor_gemeente, catalogusversie_geldig, gemeente_bij_code, gemeente_bij_slug


def _fout(status_code: int, fout: str, veld: str, code: str, bericht: str, headers: dict | None = None) -> Response:
    return Response(
        {"fout": fout, "fouten": [{"veld": veld, "code": code, "bericht": bericht}]},
        status=status_code, headers=headers,
    )


def api_exception_handler(exc, context) -> Response | None:
    """DRF's own errors (throttling, bad JSON, wrong method) in the engine's error format, in Dutch."""
    if isinstance(exc, exceptions.Throttled):
        wacht = int(exc.wait) if exc.wait is not None else 60
        return _fout(
            status.HTTP_429_TOO_MANY_REQUESTS, "te_veel_verzoeken", "(verzoek)", "te_veel_verzoeken",
            f"U heeft te veel verzoeken gedaan. Probeer het over {wacht} seconden opnieuw.",
            headers={"Retry-After": str(wacht)},
        )
    if isinstance(exc, InvoerTeGroot):
        return _fout(413, "invoer_te_groot", "(invoer)", "te_groot",
                     f"De invoer is te groot (meer dan {MAXIMALE_INVOER // 1024} kB).")
    if isinstance(exc, exceptions.ParseError):
        return _fout(400, "ongeldige_invoer", "(invoer)", "geen_json", "De invoer is geen geldige JSON.")
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return _fout(415, "ongeldig_formaat", "(invoer)", "geen_json",
                     "Stuur de invoer als JSON, met de kop 'Content-Type: application/json'.")
    if isinstance(exc, exceptions.MethodNotAllowed):
        return _fout(405, "methode_niet_toegestaan", "(verzoek)", "methode",
                     f"De methode {context['request'].method} kan hier niet.")
    if isinstance(exc, (exceptions.NotFound, Http404)):
        return _fout(404, "niet_gevonden", "(verzoek)", "niet_gevonden", str(getattr(exc, "detail", "")) or "Niet gevonden.")
    return drf_exception_handler(exc, context)


MAXIMALE_INVOER = 64 * 1024  # bytes; a household of 30 people is far below this


class InvoerTeGroot(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE


class _EngineView(APIView):
    authentication_classes: list = []
    permission_classes: list = []

    def get_exception_handler(self):
        return api_exception_handler

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # throttling first
        try:
            lengte = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            lengte = 0
        if lengte > MAXIMALE_INVOER:
            raise InvoerTeGroot()


def _gemeente(code: Any):
    return gemeente_bij_code(code=code) if isinstance(code, str) else None


def _peildatum(huishouden: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(huishouden["peildatum"])
    except (TypeError, KeyError, ValueError):
        return None


def _met_platformcatalogus(huishouden: Any) -> tuple[Any, Any]:
    """(household to compute, catalogue or None). A gemeente known to the platform uses its
    published catalogue on the peildatum; without one, only national schemes are computed."""
    if not isinstance(huishouden, dict):
        return huishouden, None
    gemeente = _gemeente(huishouden.get("gemeente"))
    peildatum = _peildatum(huishouden)
    if gemeente is None or peildatum is None:
        return huishouden, None
    catalogus = catalogus_voor_gemeente(gemeente=gemeente, peildatum=peildatum)
    if catalogus is None:
        huishouden = {k: v for k, v in huishouden.items() if k != "gemeente"}
    return huishouden, catalogus


def _reken(functie, invoer) -> Response:
    try:
        return Response(functie(invoer))
    except (InvoerFout, CatalogusFout) as fout:
        return Response(fout.als_dict(), status=status.HTTP_400_BAD_REQUEST)
    except ParameterOntbreekt as fout:
        return Response(fout.als_dict(), status=status.HTTP_400_BAD_REQUEST)


_FOUTEN = {
    400: OpenApiResponse(OpenApiTypes.OBJECT, description="Ongeldige invoer: per veld wat er mis is (Nederlands)."),
    413: OpenApiResponse(OpenApiTypes.OBJECT, description="De invoer is groter dan 64 kB."),
    429: OpenApiResponse(OpenApiTypes.OBJECT, description="Te veel verzoeken; probeer het na 'Retry-After' seconden opnieuw."),
}


class BerekeningView(_EngineView):
    @extend_schema(
        operation_id="berekening",
        summary="Eén huishouden doorrekenen",
        description=(
            "Alle landelijke en gemeentelijke regelingen voor één huishouden op de peildatum, met recht "
            "(ja/nee/misschien), bedrag en uitleg. Hetzelfde contract als `python -m rekenregels bereken`. "
            "Met `gemeente` (slug of CBS-code) rekent de API met de regelingen die de gemeente op de "
            "peildatum heeft gepubliceerd."
        ),
        request=OpenApiTypes.OBJECT,
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="De uitkomst."), **_FOUTEN},
        tags=["rekenen"],
    )
    def post(self, request):
        data = request.data
        if isinstance(data, dict):
            fouten = valideer_huishouden(data)
            if fouten:
                return Response(InvoerFout(fouten).als_dict(), status=status.HTTP_400_BAD_REQUEST)
        huishouden, catalogus = _met_platformcatalogus(data)
        return _reken(lambda invoer: bereken(invoer, catalogus=catalogus), huishouden)


class ArmoedevalView(_EngineView):
    @extend_schema(
        operation_id="armoedeval",
        summary="Wat als ik ga werken?",
        description=(
            "Besteedbaar inkomen per maand bij 0 tot 40 uur werken, per onderdeel, met de kliffen. "
            "Hetzelfde contract als `python -m rekenregels armoedeval`."
        ),
        request=OpenApiTypes.OBJECT,
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="Inkomen per aantal uren."), **_FOUTEN},
        tags=["rekenen"],
    )
    def post(self, request):
        data = request.data
        catalogus = None
        if isinstance(data, dict) and isinstance(data.get("huishouden"), dict):
            huishouden, catalogus = _met_platformcatalogus(data["huishouden"])
            data = {**data, "huishouden": huishouden}
        if not isinstance(data, dict):
            fout = InvoerFout([Fout("(invoer)", "geen_object", "De invoer moet een JSON-object zijn.")])
            return Response(fout.als_dict(), status=status.HTTP_400_BAD_REQUEST)
        return _reken(lambda invoer: armoedeval(invoer, catalogus=catalogus), data)


class RegelingenView(_EngineView):
    @extend_schema(
        operation_id="gemeente_regelingen",
        summary="De regelingen van een gemeente",
        description=(
            "De gemeentelijke regelingen (minimaregelingen) die op de peildatum gelden: de gepubliceerde "
            "versie, of de regelingen die met Perspectief zijn meegeleverd. Openbare gegevens."
        ),
        parameters=[
            OpenApiParameter("peildatum", OpenApiTypes.DATE, OpenApiParameter.QUERY, required=False,
                             description="JJJJ-MM-DD; standaard vandaag."),
        ],
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="De regelingen."),
            400: _FOUTEN[400],
            404: OpenApiResponse(OpenApiTypes.OBJECT, description="Gemeente onbekend."),
            429: _FOUTEN[429],
        },
        tags=["regelingen"],
    )
    def get(self, request, slug: str):
        gemeente = gemeente_bij_slug(slug=slug)
        if gemeente is None:
            return _fout(404, "niet_gevonden", "slug", "onbekende_gemeente", f"Gemeente '{slug}' is onbekend.")
        tekst = request.query_params.get("peildatum")
        if tekst:
            try:
                peildatum = dt.date.fromisoformat(tekst)
            except ValueError:
                return _fout(400, "ongeldige_invoer", "peildatum", "datum", "Geef de peildatum als JJJJ-MM-DD.")
        else:
            peildatum = timezone.localdate()
        catalogus = catalogus_voor_gemeente(gemeente=gemeente, peildatum=peildatum)
        versie = catalogusversie_geldig(gemeente_id=gemeente.pk, peildatum=peildatum) if catalogus else None
        return Response({
            "gemeente": {"naam": gemeente.naam, "slug": gemeente.slug, "cbs_code": gemeente.cbs_code},
            "peildatum": peildatum.isoformat(),
            "bron": "gepubliceerd" if versie else ("meegeleverd" if catalogus else "geen"),
            "versie": versie.versie if versie else None,
            "geldig_vanaf": versie.geldig_vanaf.isoformat() if versie else (catalogus.data["geldig_vanaf"] if catalogus else None),
            "regelingen": catalogus.regelingen if catalogus else [],
        })
