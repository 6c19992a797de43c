"""/public/…: the public dashboard of the closed rounds and the projects' published records."""

from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("projects/", views.project_list, name="projects"),
    path("projects/<str:code>/", views.project_record, name="project"),
]
