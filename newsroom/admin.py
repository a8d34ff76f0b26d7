from django.contrib import admin

from articles.models import Article


class NewsroomAdminSite(admin.AdminSite):
    """The Django admin, whose index is the editor's desk for people who work on stories."""

    index_template = "admin/newsroom_index.html"

    def index(self, request, extra_context=None):
        extra_context = extra_context or {}
        if request.user.has_perm("articles.change_article"):
            stories = Article.objects.visible_in_admin_to(request.user)
            extra_context["desk"] = stories.desk(user=request.user)
        return super().index(request, extra_context)
