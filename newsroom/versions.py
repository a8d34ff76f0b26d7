"""
No silent overwrite in the admin's change forms: a change form carries, signed, the values its
fields had when it was opened; a save made after someone else saved the same object is refused.
The form is shown again as the object is stored now, with the person's own changes put back
over it and a note of what the other person changed, so that saving again keeps both.

`NewsroomAdminSite.register()` gives every change form this check, but for the admins that keep
versions of their own (`guards_own_versions = True`: the story form, which merges field by
field and offers the revision diff, and the fronts' arranging page).
"""

import copy
from dataclasses import dataclass

from django import forms
from django.contrib.admin import helpers
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import FieldDoesNotExist
from django.forms.models import construct_instance
from django.utils import timezone
from django.utils.formats import date_format

# The hidden field the change form sends the version back in (templates/admin/change_form.html).
VERSION_FIELD = "_opened_as"
SALT = "newsroom.versions"


def guarded_names(form_class):
    """The model fields a form of `form_class` edits: the ones a stale save could overwrite."""
    model = form_class._meta.model
    names = []
    for name in form_class.base_fields:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.concrete and field.editable:
            names.append(name)
    return names


def stored_values(instance, names):
    """The values of `names` on `instance` as comparable text (related objects by key)."""
    values = {}
    for name in names:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            related = getattr(instance, name).values_list("pk", flat=True)
            values[name] = sorted(str(pk) for pk in related)
        else:
            values[name] = field.value_to_string(instance)
    return values


def typed_values(form, stored, names):
    """The values of `names` as the person typed them, comparable with `stored_values()`."""
    probe = copy.copy(stored)
    cleaned = form.cleaned_data
    plain = [name for name in names if not stored._meta.get_field(name).many_to_many]
    construct_instance(form, probe, fields=plain)
    values = {name: probe._meta.get_field(name).value_to_string(probe) for name in plain}
    for name in names:
        if name not in plain:
            values[name] = sorted(str(getattr(obj, "pk", obj)) for obj in cleaned.get(name, []))
    return values


def seal(values):
    return signing.dumps({"values": values, "at": timezone.now().isoformat()}, salt=SALT)


def unseal(token):
    """What `seal()` sealed, or None for a missing, altered or garbled token."""
    try:
        return signing.loads(token or "", salt=SALT)
    except signing.BadSignature:
        return None


@dataclass
class Stale:
    """A refused save: the object as stored now, and who changed what since it was opened."""

    current: object
    token: str
    mine: dict  # field name: typed value, for the fields the person changed
    theirs: list  # labels of the fields the other person changed
    both: list  # labels of the fields both changed: the person's own value is kept
    taken: list  # names of the fields only the other person changed: theirs is taken


class RefusesStaleVersions:
    """A ModelForm mixin: `clean()` refuses a save over a version newer than the one opened."""

    stale = None
    # Where the form sends its version back.
    version_field = VERSION_FIELD

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        model = type(self.instance)
        names = guarded_names(type(self))
        # Locked until the save commits, so that of two saves at once the second is refused.
        current = model._default_manager.select_for_update().get(pk=self.instance.pk)
        now = stored_values(current, names)
        opened = unseal(self.data.get(self.add_prefix(self.version_field)))
        base = opened["values"] if opened else {}
        if base == now:
            return cleaned
        mine = typed_values(self, current, names)
        if opened:
            changed_by_me = [name for name in names if mine[name] != base.get(name)]
        else:
            changed_by_me = [name for name in names if mine[name] != now[name]]
        changed_by_them = [name for name in names if base.get(name, now[name]) != now[name]]
        labels = {name: str(self.fields[name].label or name) for name in names}
        self.stale = Stale(
            current=current,
            token=seal(now),
            mine={name: cleaned[name] for name in changed_by_me if name in cleaned},
            theirs=[labels[name] for name in changed_by_them],
            both=[labels[name] for name in changed_by_them if name in changed_by_me],
            taken=[name for name in changed_by_them if name not in changed_by_me],
        )
        self.add_error(None, refusal(current, opened, self.stale))
        return cleaned


class RefusesStaleRows(RefusesStaleVersions):
    """
    The same for a row of a list edited in place (`list_editable`): each row carries its own
    version (templates/admin/change_list.html), and a refused row shows the other person's
    changes where its own were none.
    """

    version_field = "opened_as"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        version = forms.CharField(required=False, widget=forms.HiddenInput)
        self.fields[self.version_field] = version
        if self.instance.pk is not None:
            names = guarded_names(type(self))
            version.initial = seal(stored_values(self.instance, names))

    def has_changed(self):
        return any(name != self.version_field for name in self.changed_data)

    def clean(self):
        if not self.has_changed():
            return super(RefusesStaleVersions, self).clean()
        cleaned = super().clean()
        if self.stale is not None:
            self.put_in_data(self.stale)
        return cleaned

    def put_in_data(self, stale):
        """Show the other person's values where this row had no changes, and their version."""
        data = self.data.copy()
        for name in stale.taken:
            key, value = self.add_prefix(name), self.initial_for(stale.current, name)
            if isinstance(self.fields[name].widget, forms.CheckboxInput):
                if value:
                    data[key] = "on"
                else:
                    data.pop(key, None)
            else:
                data[key] = "" if value is None else str(value)
        data[self.add_prefix(self.version_field)] = stale.token
        self.data = data

    def initial_for(self, obj, name):
        return self.fields[name].prepare_value(obj._meta.get_field(name).value_from_object(obj))


def refusal(current, opened, stale):
    """What a person whose save was refused is told."""
    what = current._meta.verbose_name
    if not opened:
        return (
            f"This form was sent without the version of the {what} it was opened at, so nothing "
            "was saved. It shows what is stored now, with your changes in the form: check them "
            "and save again."
        )
    changed = f"changed {', '.join(stale.theirs)}" if stale.theirs else "saved it"
    both = (
        f" You both changed {', '.join(stale.both)}: yours is in the form, compare it with "
        "theirs before you save."
        if stale.both
        else ""
    )
    return (
        f"{who_changed(current, opened['at'])} {changed} after you opened this form, so nothing "
        f"was saved. The form shows the {what} as stored now, with your changes put back in."
        f"{both} Save again to keep both."
    )


def who_changed(obj, opened_at):
    """“Ana Ruiz (at 2 Dec 2026, 10:42)”, from the admin's own log where it knows."""
    entry = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            action_time__gt=opened_at,
        )
        .select_related("user")
        .order_by("-action_time")
        .first()
    )
    if entry is None:
        return "Someone"
    name = entry.user.get_full_name() or entry.user.get_username()
    when = date_format(timezone.localtime(entry.action_time), "DATETIME_FORMAT")
    return f"{name} (at {when})"


class StaleSaveGuard:
    """
    A ModelAdmin mixin: its change forms carry the version they were opened at and refuse a
    save over a newer one (see the module's docstring).
    """

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            return form
        return type(form.__name__, (RefusesStaleVersions, form), {"__module__": form.__module__})

    def get_changelist_form(self, request, **kwargs):
        form = super().get_changelist_form(request, **kwargs)
        return type(form.__name__, (RefusesStaleRows, form), {"__module__": form.__module__})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["opened_as"] = self.version_sent(request, context)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def version_sent(self, request, context):
        """
        The version the form shown carries: the stored one when it is opened; the one it was
        opened at when it comes back with mistakes to correct, so that a colleague's save in
        between is still caught; the stored one again when it is shown merged after a refusal.
        """
        form = context["adminform"].form
        if not form.is_bound:
            return seal(stored_values(form.instance, guarded_names(type(form))))
        stale = form.stale
        if stale is None or list(form.errors) != ["__all__"]:
            return request.POST.get(VERSION_FIELD, "")
        merged = self.form_as_stored(request, stale)
        formsets = [inline.formset for inline in context["inline_admin_formsets"]]
        context["adminform"] = merged
        context["errors"] = helpers.AdminErrorList(merged.form, formsets)
        context["stale_refusal"] = form.non_field_errors()
        return stale.token

    def form_as_stored(self, request, stale):
        """The change form of the object as stored now, with the person's changes over it."""
        current = stale.current
        fieldsets = self.get_fieldsets(request, current)
        form_class = self.get_form(
            request, current, change=True, fields=flatten_fieldsets(fieldsets)
        )
        return helpers.AdminForm(
            form_class(instance=current, initial=stale.mine),
            list(fieldsets),
            self.get_prepopulated_fields(request, current),
            self.get_readonly_fields(request, current),
            model_admin=self,
        )
