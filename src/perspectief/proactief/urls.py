from django.urls import path

from . import views

app_name = "proactief"

urlpatterns = [
    path("", views.overzicht, name="overzicht"),
    path("imports/", views.import_nieuw, name="import_nieuw"),
    path("imports/<int:import_id>/", views.import_detail, name="import_detail"),
    path("rondes/", views.ronde_starten, name="ronde_starten"),
    path("regelingen/<slug:code>/", views.regeling, name="regeling"),
    path("kandidaten/<int:kandidaat_id>/", views.kandidaat, name="kandidaat"),
    path("kandidaten/<int:kandidaat_id>/brief/", views.brief, name="brief"),
    path("kandidaten/<int:kandidaat_id>/afmelden/", views.afmelden, name="afmelden"),
    path("mijn-keuze/", views.mijn_keuze, name="mijn_keuze"),
]
