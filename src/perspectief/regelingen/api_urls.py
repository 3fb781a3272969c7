"""URLs of the JSON API, mounted at /api/."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from . import api, api_schema

app_name = "api"

urlpatterns = [
    path("", api_schema.documentatie, name="documentatie"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/berekening/", api.BerekeningView.as_view(), name="berekening"),
    path("v1/armoedeval/", api.ArmoedevalView.as_view(), name="armoedeval"),
    path("v1/gemeenten/<slug:slug>/regelingen/", api.RegelingenView.as_view(), name="gemeente_regelingen"),
]
