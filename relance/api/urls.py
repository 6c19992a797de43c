"""/api/…: the open data API and its OpenAPI schema."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from . import views
from .throttling import OpenDataThrottle

app_name = "api"

urlpatterns = [
    path("projects/", views.ProjectList.as_view(), name="project-list"),
    path("projects/<str:code>/", views.ProjectDetail.as_view(), name="project-detail"),
    path("rounds/", views.RoundList.as_view(), name="round-list"),
    path("rounds/<str:code>/summary/", views.RoundSummary.as_view(), name="round-summary"),
    path("rounds/<str:code>/fiches/", views.RoundFiches.as_view(), name="round-fiches"),
    path("rounds/<str:code>/milestones/", views.RoundMilestones.as_view(), name="round-milestones"),
    path(
        "schema/",
        login_not_required(SpectacularAPIView.as_view(throttle_classes=[OpenDataThrottle])),
        name="schema",
    ),
]
