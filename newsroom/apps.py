from django.contrib.admin.apps import AdminConfig


class NewsroomAdminConfig(AdminConfig):
    """The Django admin, with the newsroom's own site: the editor's desk on its index."""

    default_site = "newsroom.admin.NewsroomAdminSite"
