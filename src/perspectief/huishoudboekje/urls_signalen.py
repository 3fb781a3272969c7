"""/huishoudboekje/signalen/…: the work list of open signals."""

from django.urls import path

from .views import signalen

urlpatterns = [
    path("", signalen.lijst, name="signalen"),
    path("<int:signaal_id>/afhandelen/", signalen.afhandelen, name="signaal_afhandelen"),
]
