from django.urls import path

from .views import MilestoneListView

app_name = "milestones"

urlpatterns = [
    path("", MilestoneListView.as_view(), name="list"),
]
