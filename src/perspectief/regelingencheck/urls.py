from django.urls import path

app_name = "regelingencheck"

urlpatterns: list = []
