"""/huishoudboekje/…: the budgetbeheerder's screens, one URL module per area."""

from django.urls import include, path

app_name = "huishoudboekje"

urlpatterns = [
    path("", include("perspectief.huishoudboekje.urls_huishoudens")),
    path("afschriften/", include("perspectief.huishoudboekje.urls_afschriften")),
    path("betalingen/", include("perspectief.huishoudboekje.urls_betalingen")),
    path("signalen/", include("perspectief.huishoudboekje.urls_signalen")),
]
