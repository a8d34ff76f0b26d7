"""The story form: the story's fields and the workflow panel's, with their checks."""

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.html import format_html

from .. import conflicts, embeds, services
from ..formats import newsroom_time
from ..models import Article

# The length search engines show of a title (the search title's own limit): the headline's
# counter guides the writer to it.
HEADLINE_GUIDE = Article._meta.get_field("seo_title").max_length


class LabelledSplitDateTime(AdminSplitDateTime):
    """The admin's date and time boxes, each with a label of its own (screen readers name them)."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        date, time = context["widget"]["subwidgets"]
        for box, label in ((date, "date_label"), (time, "time_label")):
            context[label] = format_html(
                '<label for="{}" class="datetime-label">{}</label>',
                box["attrs"].get("id", ""),
                context[label],
            )
        return context


STEPS = {
    "submit": "Submit for review",
    "publish": "Publish now",
    "schedule": "Schedule",
    "send_back": "Send back to the writer",
    "withdraw": "Withdraw",
}

# Where a refusal is shown: next to the field that caused it, or above the form.
ERROR_FIELDS = {
    ("schedule", "past"): "schedule_for",
    ("send_back", "note"): "send_back_note",
    ("withdraw", "note"): "withdraw_note",
}


def refusal_text(refusal):
    if isinstance(refusal, ValidationError):
        return " ".join(refusal.messages)
    return str(refusal)


class ArticleAdminForm(forms.ModelForm):
    """
    The story's fields, plus the fields of the workflow panel. The state (status and
    publication time) is not a field: only the workflow steps change it, through services.
    """

    schedule_for = forms.SplitDateTimeField(
        label="Publication time", required=False, widget=LabelledSplitDateTime
    )
    send_back_note = forms.CharField(
        label="What should the writer change?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The writer sees this note in the story's workflow log.",
    )
    withdraw_note = forms.CharField(
        label="Note to readers",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown at the story's address, which will answer “410 Gone”.",
    )
    mark_as_update = forms.BooleanField(
        label="Mark this edit as an update",
        required=False,
        help_text="Readers see “Updated” with the time of this save.",
    )
    update_note = forms.CharField(
        label="Update note (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Added to the story's corrections and updates as an “Update”.",
    )

    # The version of the story this form was opened at, and a sealed copy of its fields
    # then (articles/conflicts.py): a save over a colleague's newer one is refused.
    opened_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    opened_copy = forms.CharField(required=False, widget=forms.HiddenInput)

    # Set on the class by ArticleAdmin.get_form for the request being answered.
    user = None
    transition = ""
    # Set by clean(): the story's version, read under a row lock; and, when the save was
    # refused because a colleague saved first, what they changed.
    locked_version = None
    conflict = None

    class Meta:
        model = Article
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose the fields shown
        widgets = {
            # A headline is one line, but a long one is read whole while it is written.
            "headline": forms.Textarea(
                attrs={"rows": 2, "class": "story-headline", "data-guide": HEADLINE_GUIDE}
            ),
            "standfirst": forms.Textarea(attrs={"rows": 3}),
            "seo_description": forms.Textarea(attrs={"rows": 2}),
            "breaking_until": LabelledSplitDateTime,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.instance.created_by = self.user
        else:
            self.fields["opened_version"].initial = self.instance.version
            if not self.is_bound:
                self.fields["opened_copy"].initial = conflicts.seal(
                    conflicts.copy_of_story(self.instance)
                )
        if self.instance.pk is not None and self.instance.is_scheduled:
            self.fields["schedule_for"].initial = self.instance.publish_at
        if "headline" in self.fields:
            self.fields["headline"].help_text = (
                f"Search engines show about {HEADLINE_GUIDE} characters of a title: a longer "
                "headline can have a shorter search title (under “Search engines”)."
            )
        self.fields["schedule_for"].help_text = (
            f"In newsroom time ({timezone.get_current_timezone()}). The story goes live by "
            "itself at this time."
        )

    def clean_headline(self):
        # Typed in a box that wraps: a line break pasted in is a space.
        return " ".join(self.cleaned_data["headline"].split())

    def clean_body(self):
        body = self.cleaned_data["body"]
        refused = embeds.refused_addresses(body)
        if refused:
            shown = ", ".join(f"“{address[:200]}”" for address in refused)
            raise ValidationError(
                f"This address cannot be embedded: {shown}. Embeds come from "
                f"{embeds.provider_names()}, with an https address of the post itself. Remove "
                "the embed or paste the post's own address.",
                code="embed",
            )
        return body

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None and not self.check_version(cleaned):
            return cleaned
        self.check_transition(cleaned)
        self.check_update(cleaned)
        return cleaned

    def check_version(self, cleaned):
        """
        Lock the story's row until this save commits, and refuse the save when a colleague
        saved the story after this form was opened: the person's text stays in the form,
        with their colleague's changes merged in where they had not changed the same field.
        A "take theirs" button puts one field of the colleague's into the form. True when
        the save may go on.
        """
        pk = self.instance.pk
        self.locked_version = (
            Article.objects.select_for_update().filter(pk=pk).values_list("version", flat=True)
        ).first()
        taking = self.data.get("_take_theirs")
        if taking in conflicts.MERGED_FIELDS:
            theirs = conflicts.copy_of_story(Article.objects.get(pk=pk))
            self.put_in_form({taking: theirs[taking]})
            label = self.fields[taking].label if taking in self.fields else taking
            self.add_error(None, f"Their {label.lower()} is in the form now: check it, then save.")
            return False
        if cleaned.get("opened_version") == self.locked_version:
            return True
        current = Article.objects.select_related("modified_by").get(pk=pk)
        base = conflicts.unseal(cleaned.get("opened_copy"))
        theirs = conflicts.copy_of_story(current)
        mine = conflicts.copy_of_form(cleaned)
        taken, both = conflicts.merge(base, theirs, mine)
        self.put_in_form(
            {name: theirs[name] for name in taken}
            | {"opened_version": str(current.version), "opened_copy": conflicts.seal(theirs)}
        )
        labels = {name: field.label for name, field in self.fields.items()}
        self.conflict = conflicts.describe(
            base=base,
            theirs=theirs,
            mine=mine,
            taken=taken,
            both=both,
            labels=labels,
            names=conflicts.names_for([base or {}, theirs, mine]),
        )
        who = current.modified_by
        name = (who.get_full_name() or who.get_username()) if who else "A colleague"
        self.add_error(
            None,
            f"{name} saved this story at {newsroom_time(current.modified_at)}, after you "
            "opened it, so nothing was saved. Your changes are kept below"
            + (", with theirs put in where you had not changed the same field" if taken else "")
            + (
                ". Where you both changed a field, compare the two and keep yours or take theirs"
                if both
                else ""
            )
            + ". Then save again to keep both.",
        )
        return False

    def put_in_form(self, values):
        """Show `values` in the form when it is displayed again (a refused save)."""
        data = self.data.copy()
        for name, value in values.items():
            if isinstance(value, list):
                data.setlist(name, value)
            else:
                data[name] = value
        self.data = data

    def check_transition(self, cleaned):
        step, article, user = self.transition, self.instance, self.user
        if not step:
            return
        try:
            if step == "submit":
                services.check_submit_for_review(article=article, actor=user)
            elif step == "publish":
                services.check_publish(article=article, actor=user)
            elif step == "schedule":
                if "schedule_for" in self.errors:
                    return
                if cleaned.get("schedule_for") is None:
                    raise ValidationError("Choose when the story goes live.", code="past")
                services.check_publish(article=article, actor=user, at=cleaned["schedule_for"])
            elif step == "send_back":
                note = cleaned.get("send_back_note", "")
                services.check_send_back(article=article, actor=user, note=note)
            elif step == "withdraw":
                note = cleaned.get("withdraw_note", "")
                services.check_withdraw(article=article, actor=user, note=note)
            else:
                raise ValidationError("Unknown workflow step.", code="state")
        except PermissionDenied as refusal:
            self.add_error(None, refusal_text(refusal))
        except ValidationError as refusal:
            self.add_error(ERROR_FIELDS.get((step, refusal.code)), refusal)

    def check_update(self, cleaned):
        marked = cleaned.get("mark_as_update")
        if cleaned.get("update_note", "").strip() and not marked:
            self.add_error(
                "mark_as_update", "Tick this box to publish the update note, or clear the note."
            )
        if not marked:
            return
        if self.transition:
            self.add_error("mark_as_update", "Save the update first, then take a workflow step.")
            return
        try:
            services.check_mark_updated(article=self.instance, actor=self.user)
        except PermissionDenied as refusal:
            self.add_error(None, refusal_text(refusal))
        except ValidationError as refusal:
            self.add_error("mark_as_update", refusal)
