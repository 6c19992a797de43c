"""/open-data/…: the page, a zip per closed round and their DCAT-AP catalogue."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.open_data, name="open-data"),
    path("catalog.jsonld", views.catalog, name="open-data-catalog"),
    path("<str:code>.zip", views.round_archive, name="open-data-zip"),
]
