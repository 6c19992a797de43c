"""The sign-in pages that Relance adds to django.contrib.auth's (relance/urls.py)."""

from django.urls import path

from . import reset, views

urlpatterns = [
    path("password_reset/", reset.ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("two-factor/", views.two_factor_setup, name="two-factor-setup"),
    path("two-factor/verify/", views.two_factor_verify, name="two-factor-verify"),
]
