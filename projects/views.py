"""Project pages."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .models import Fiche, Project


@require_GET
def project_detail(request: HttpRequest, code: str) -> HttpResponse:
    project = get_object_or_404(Project.objects.with_structure(), code=code)
    fiches = (
        Fiche.objects.visible_to(request.user)
        .filter(project=project)
        .select_related("round", "finance")
        .order_by("-round__reference_date")
    )
    return render(request, "projects/project_detail.html", {"project": project, "fiches": fiches})
