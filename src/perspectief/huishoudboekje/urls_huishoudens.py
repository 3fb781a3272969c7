"""/huishoudboekje/: the work list and a household's huishoudboekje."""

from django.urls import path

from .views import huishoudens as views

urlpatterns = [
    path("", views.werklijst, name="werklijst"),
    path("nieuw/", views.deelname_nieuw, name="deelname_nieuw"),
    path("<uuid:uuid>/", views.deelname_detail, name="deelname"),
    path("<uuid:uuid>/afspraken/nieuw/", views.afspraak_nieuw, name="afspraak_nieuw"),
    path("<uuid:uuid>/afspraken/<uuid:afspraak_uuid>/", views.afspraak_wijzigen, name="afspraak_wijzigen"),
    path("<uuid:uuid>/afspraken/<uuid:afspraak_uuid>/beeindigen/", views.afspraak_beeindigen, name="afspraak_beeindigen"),
]
