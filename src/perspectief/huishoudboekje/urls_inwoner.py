"""/mijn-huishoudboekje/…: the resident's own view."""

from django.urls import path  # noqa: F401

app_name = "mijn_huishoudboekje"

urlpatterns: list = []
