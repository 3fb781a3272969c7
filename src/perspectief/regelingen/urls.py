from django.urls import path

from . import views

app_name = "regelingen"

urlpatterns = [
    path("", views.lijst, name="lijst"),
    path("nieuw/", views.nieuw, name="nieuw"),
    path("<int:pk>/", views.versie, name="versie"),
    path("<int:pk>/bedrag/", views.bedrag, name="bedrag"),
    path("<int:pk>/voorbeeld/", views.voorbeeld, name="voorbeeld"),
    path("<int:pk>/publiceren/", views.publiceren, name="publiceren"),
    path("<int:pk>/intrekken/", views.intrekken, name="intrekken"),
]
