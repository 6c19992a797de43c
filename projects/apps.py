from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projecten")

    def ready(self) -> None:
        from .roles import sync_roles_after_migrate

        # Permissions only exist after migrate, so the role groups follow them there.
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="projects.sync_roles")
