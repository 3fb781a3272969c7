from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.start, name="start"),
    path("cijfers/", views.cijfers, name="cijfers"),
    path("mijn-gegevens/", views.mijn_gegevens, name="mijn_gegevens"),
    path("health/", views.health, name="health"),
]
