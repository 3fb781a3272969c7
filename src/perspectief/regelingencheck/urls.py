from django.urls import path

from . import views

app_name = "regelingencheck"

urlpatterns = [
    path("", views.kies_gemeente, name="kies_gemeente"),
    path("<slug:gemeente_slug>/", views.start, name="start"),
    path("<slug:gemeente_slug>/stap/<int:nummer>/", views.stap, name="stap"),
    path("<slug:gemeente_slug>/uitkomst/", views.uitkomst, name="uitkomst"),
    path("<slug:gemeente_slug>/uitkomst/pdf/", views.uitkomst_pdf, name="uitkomst_pdf"),
    path("<slug:gemeente_slug>/code/", views.code_maken, name="code_maken"),
    path("<slug:gemeente_slug>/openen/", views.openen, name="openen"),
    path("<slug:gemeente_slug>/delen/", views.delen, name="delen"),
    path("<slug:gemeente_slug>/werken/", views.werken, name="werken"),
]
