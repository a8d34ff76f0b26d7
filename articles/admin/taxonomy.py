"""Sections, authors, tags and old addresses in the admin."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils.html import format_html

from ..models import Author, Redirect, Section, Tag


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "position", "show_in_nav"]
    list_editable = ["position", "show_in_nav"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    list_select_related = ["user"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["photo"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Editors link an author to a staff account by name; they may not browse users.
        if db_field.name == "user":
            kwargs["queryset"] = (
                get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    list_display = ["old_address", "leads_to", "created_at"]
    list_select_related = ["article", "section"]
    search_fields = ["old_path", "old_query", "article__headline", "section__name"]
    autocomplete_fields = ["article", "section"]
    fields = ["old_path", "old_query", "article", "section"]

    @admin.display(description="Old address", ordering="old_path")
    def old_address(self, obj):
        return format_html("<code>{}</code>", obj.old_address)

    @admin.display(description="Leads to")
    def leads_to(self, obj):
        if obj.section_id is not None:
            return f"Section: {obj.section}"
        return obj.article
