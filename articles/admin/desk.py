"""The stories' panels on the desk, the admin's index."""

from django.contrib import admin

from ..models import Article


def stories_desk(request):
    """The stories on the desk of someone who works on them (see Article.objects.desk)."""
    if not request.user.has_perm("articles.change_article"):
        return None
    return Article.objects.visible_in_admin_to(request.user).desk(user=request.user)


admin.site.add_desk_panel("admin/articles/desk.html", stories_desk)
