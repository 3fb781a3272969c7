from django.urls import path

from . import views

app_name = "beleid"

urlpatterns = [
    path("wat-als/", views.wat_als, name="wat_als"),
]
