"""Request typing: behind LoginRequiredMiddleware, a view's user is a signed-in User."""

from django.http import HttpRequest

from projects.models import User


class AuthenticatedRequest(HttpRequest):
    user: User
