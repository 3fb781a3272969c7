"""/huishoudboekje/betalingen/…: planned payments, payment batches, status reports."""

from django.urls import path

from .views import betalingen

urlpatterns = [
    path("", betalingen.overzicht, name="betalingen"),
    path("plannen/", betalingen.plannen, name="betalingen_plannen"),
    path("statusrapport/", betalingen.statusrapport, name="statusrapport"),
    path("bestanden/", betalingen.batch_maken, name="batch_maken"),
    path("bestanden/<uuid:batch_uuid>/", betalingen.batch, name="batch"),
    path("bestanden/<uuid:batch_uuid>/goedkeuren/", betalingen.batch_goedkeuren, name="batch_goedkeuren"),
    path("bestanden/<uuid:batch_uuid>/afkeuren/", betalingen.batch_afkeuren, name="batch_afkeuren"),
    path("bestanden/<uuid:batch_uuid>/downloaden/", betalingen.batch_downloaden, name="batch_downloaden"),
]
