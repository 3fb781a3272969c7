from django.urls import path

from . import views

app_name = "huishoudens"

urlpatterns = [
    path("", views.huishouden_lijst, name="lijst"),
    path("nieuw/", views.huishouden_nieuw, name="nieuw"),
    path("<uuid:uuid>/", views.huishouden_detail, name="detail"),
    path("<uuid:uuid>/personen/nieuw/", views.persoon_toevoegen, name="persoon_toevoegen"),
    path("<uuid:uuid>/personen/<int:persoon_id>/", views.persoon_wijzigen, name="persoon_wijzigen"),
    path("<uuid:uuid>/toestemmingen/nieuw/", views.toestemming_nieuw, name="toestemming_nieuw"),
    path(
        "<uuid:uuid>/toestemmingen/<int:toestemming_id>/intrekken/",
        views.toestemming_intrekken,
        name="toestemming_intrekken",
    ),
]
