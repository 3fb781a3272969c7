"""/mijn-huishoudboekje/…: the resident's own view."""

from django.urls import path

from .views import inwoner

app_name = "mijn_huishoudboekje"

urlpatterns = [
    path("", inwoner.overzicht, name="overzicht"),
]
