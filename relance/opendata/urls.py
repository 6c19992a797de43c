"""/open-data/…: the page and a zip per closed round."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.open_data, name="open-data"),
    path("<str:code>.zip", views.round_archive, name="open-data-zip"),
]
