from django.urls import path

from . import views_lists

app_name = "projects"

urlpatterns = [
    path("", views_lists.ProjectListView.as_view(), name="list"),
]
