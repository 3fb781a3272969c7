"""/huishoudboekje/afschriften/: bank statements, open lines, booking and undoing."""

from django.urls import path

from .views import afschriften as views

urlpatterns = [
    path("", views.afschriften, name="afschriften"),
    path("<int:bestand_id>/", views.afschrift, name="afschrift"),
    path("open-posten/", views.open_posten, name="open_posten"),
    path("regels/<int:transactie_id>/", views.transactie, name="transactie"),
    path("regels/<int:transactie_id>/boeken/", views.boeken, name="boeken"),
    path("regels/<int:transactie_id>/ongedaan-maken/", views.ongedaan_maken, name="ongedaan_maken"),
]
