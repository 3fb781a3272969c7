from django.urls import path

from . import views

app_name = "toegang"

urlpatterns = [
    path("inloggen/", views.login, name="login"),
    path("tweede-stap/", views.tweede_stap, name="tweede_stap"),
    path("tweede-stap/instellen/", views.tweede_stap_instellen, name="tweede_stap_instellen"),
    path("uitloggen/", views.logout, name="logout"),
    path("inwoner/", views.inwoner_login, name="inwoner_login"),
    path("inwoner/demo/", views.inwoner_demo_login, name="inwoner_demo_login"),
]
