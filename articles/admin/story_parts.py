"""The parts of the story form beside its text: its bylines, its corrections and updates."""

from django import forms
from django.contrib import admin
from django.db.models import DateTimeField

from ..models import Author, Byline, Correction
from .story_form import LabelledSplitDateTime

# Where a byline added without the browser's ordering lands: after the others.
LAST = 32_000


class BylineForm(forms.ModelForm):
    """
    One byline. Its position is not typed: the form's list is dragged (or moved with its
    buttons) into the order readers see, and each byline's place is posted with it.
    """

    class Meta:
        model = Byline
        fields = ["author", "role", "position"]
        widgets = {"position": forms.HiddenInput(attrs={"data-byline-position": ""})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and "position" not in (kwargs.get("initial") or {}):
            self.initial["position"] = LAST

    def has_changed(self):
        # A new, empty byline numbered by the list's ordering is still empty.
        changed = set(self.changed_data)
        if self.instance.pk is None:
            changed.discard("position")
        return bool(changed)


class BylineFormSet(forms.BaseInlineFormSet):
    def number_in_order(self):
        """
        Once the bylines are saved: number them 0, 1, 2… in the order they were posted in
        (their posted places, and the form's order where two share one).
        """
        kept = [
            (form.cleaned_data.get("position", LAST), index, form.instance)
            for index, form in enumerate(self.forms)
            if form.instance.pk is not None and form not in self.deleted_forms
        ]
        for place, (_position, _index, byline) in enumerate(sorted(kept, key=lambda k: k[:2])):
            if byline.position != place:
                byline.position = place
                byline.save(update_fields=["position"])


class BylineInline(admin.TabularInline):
    model = Byline
    form = BylineForm
    formset = BylineFormSet
    fields = ["author", "role", "position"]
    autocomplete_fields = ["author"]
    template = "admin/articles/article/bylines.html"
    verbose_name = "byline"
    verbose_name_plural = "bylines"

    def get_extra(self, request, obj=None, **kwargs):
        # One empty byline to fill on a story without any; "Add a byline" adds more.
        if obj is not None and obj.bylines.exists():
            return 0
        return 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    # A story's bylines change with the story: only by someone who may edit it.

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and _may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and _may_edit(request, obj)


def _may_edit(request, story):
    return story is None or story.pk is None or story.can_be_edited_by(request.user)


def own_byline(user):
    """The byline a new story starts with: its writer's own author, if they have one."""
    author = Author.objects.filter(user=user).only("pk").first()
    if author is None:
        return []
    return [{"author": author.pk, "role": Byline.Role.REPORTER, "position": 0}]


class CorrectionInline(admin.StackedInline):
    """Corrections and updates: on a live story only, where readers see them."""

    model = Correction
    fields = ["kind", "text", "published_at"]
    formfield_overrides = {DateTimeField: {"widget": LabelledSplitDateTime}}
    extra = 0
    verbose_name = "correction or update"
    verbose_name_plural = "corrections and updates"
