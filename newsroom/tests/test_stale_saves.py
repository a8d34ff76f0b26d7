"""
No silent overwrite in any change form of the admin (newsroom/versions.py): two people open the
same section, tag, photo, live entry or the moderation settings; the second save is refused,
keeps what its author typed, takes in what the first changed, and saving again keeps both.
"""

from html import unescape

import pytest
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.forms import CheckboxInput, MultiWidget
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from articles.models import Section, Tag
from articles.tests.factories import AuthorFactory, SectionFactory, TagFactory
from comments.models import ModerationSettings
from live.tests.factories import LiveEntryFactory
from newsroom.tests.admin_forms import VERSION_INPUT
from newsroom.tests.factories import UserFactory
from newsroom.versions import StaleSaveGuard
from photos.tests.factories import ImageFactory

pytestmark = pytest.mark.django_db


def signed_in(role, name):
    client = Client()
    client.force_login(UserFactory(username=name, first_name=name.title(), role=role))
    return client


def form_shown(response):
    """What the change form in `response` sends as it is shown: its values, its version."""
    form = response.context["adminform"].form
    [version] = VERSION_INPUT.findall(response.content.decode())
    data = {"_opened_as": unescape(version)}
    for name, field in form.fields.items():
        value = form[name].value()
        widget = getattr(field.widget, "widget", field.widget)
        if isinstance(widget, CheckboxInput):
            if value:
                data[name] = "on"
        elif isinstance(widget, MultiWidget):
            for index, part in enumerate(widget.decompress(value)):
                data[f"{name}_{index}"] = "" if part is None else str(part)
        elif isinstance(value, list | tuple):
            data[name] = [str(item) for item in value]
        else:
            data[name] = "" if value is None else str(value)
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[management[name].html_name] = management[name].value()
    return data


def change_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


# Each case: the role that edits it, how to make one, and two fields two people change.
CASES = {
    "section": ("Editor", SectionFactory, ("name", "Politics"), ("description", "Votes.")),
    "tag": ("Editor", TagFactory, ("name", "Harbour strike"), ("slug", "harbour-strike")),
    "photo": ("Editor", ImageFactory, ("caption", "Crews at dawn."), ("credit", "Agency")),
    "live entry": (
        "Editor",
        lambda: LiveEntryFactory(authors=[AuthorFactory()]),
        ("headline", "Polls close"),
        ("is_key_event", True),
    ),
    "moderation settings": (
        "Moderator",
        ModerationSettings.load,
        ("link_limit", "5"),
        ("spam_terms", "casino"),
    ),
}


def typed(data, field, value):
    if value is True:
        return {**data, field: "on"}
    return {**data, field: value}


def stored(obj, field):
    value = getattr(type(obj)._default_manager.get(pk=obj.pk), field)
    return value if isinstance(value, bool) else str(value)


def expected(value):
    return value if isinstance(value, bool) else str(value)


@pytest.mark.parametrize("case", CASES)
def test_the_second_of_two_saves_is_refused_keeps_both_and_saves_both_again(case):
    role, make, (their_field, their_value), (my_field, my_value) = CASES[case]
    obj = make()
    url = change_url(obj)
    ana, ben = signed_in(role, "ana"), signed_in(role, "ben")
    anas_form = form_shown(ana.get(url))
    bens_form = form_shown(ben.get(url))

    assert ana.post(url, typed(anas_form, their_field, their_value)).status_code == 302
    refused = ben.post(url, typed(bens_form, my_field, my_value))

    assert refused.status_code == 200
    assertContains(refused, "so nothing was saved")
    assertContains(refused, "Ana (at ")
    assert stored(obj, their_field) == expected(their_value)
    assert stored(obj, my_field) != expected(my_value)
    merged = form_shown(refused)
    assert merged[their_field] == typed({}, their_field, their_value)[their_field]
    assert merged[my_field] == typed({}, my_field, my_value)[my_field]

    assert ben.post(url, merged).status_code == 302
    assert stored(obj, their_field) == expected(their_value)
    assert stored(obj, my_field) == expected(my_value)


def test_when_both_change_the_same_field_the_second_keeps_theirs_on_screen_and_is_told():
    section = SectionFactory(name="World")
    url = change_url(section)
    ana, ben = signed_in("Editor", "ana"), signed_in("Editor", "ben")
    anas_form, bens_form = form_shown(ana.get(url)), form_shown(ben.get(url))

    ana.post(url, {**anas_form, "name": "World news"})
    refused = ben.post(url, {**bens_form, "name": "International"})

    assertContains(refused, "You both changed Name")
    assert form_shown(refused)["name"] == "International"
    assert Section.objects.get().name == "World news"
    ben.post(url, form_shown(refused))
    assert Section.objects.get().name == "International"


def test_a_save_without_the_version_it_was_opened_at_is_refused_and_kept():
    tag = TagFactory(name="Floods", slug="floods")
    url = change_url(tag)
    editor = signed_in("Editor", "ana")
    data = {key: value for key, value in form_shown(editor.get(url)).items() if key[0] != "_"}

    refused = editor.post(url, {**data, "name": "Flooding"})

    assertContains(refused, "without the version of the tag it was opened at")
    assert Tag.objects.get().name == "Floods"
    assert form_shown(refused)["name"] == "Flooding"
    assert editor.post(url, form_shown(refused)).status_code == 302
    assert Tag.objects.get().name == "Flooding"


@pytest.mark.parametrize("token", ["nonsense", "e30:1tQ:forged"])
def test_an_altered_version_is_refused_not_an_error(token):
    tag = TagFactory(name="Floods", slug="floods")
    url = change_url(tag)
    editor = signed_in("Editor", "ana")

    refused = editor.post(url, {**form_shown(editor.get(url)), "_opened_as": token})

    assert refused.status_code == 200
    assertContains(refused, "so nothing was saved")


def test_a_form_sent_back_with_a_mistake_still_carries_the_version_it_was_opened_at():
    section = SectionFactory(name="World", slug="world")
    url = change_url(section)
    ana, ben = signed_in("Editor", "ana"), signed_in("Editor", "ben")
    bens_form = form_shown(ben.get(url))
    mistaken = ben.post(url, {**bens_form, "slug": "not a slug!", "description": "Abroad."})
    assert mistaken.status_code == 200
    assert mistaken.context["opened_as"] == bens_form["_opened_as"]

    ana.post(url, {**form_shown(ana.get(url)), "name": "World news"})
    corrected = {**form_shown(mistaken), "slug": "world"}
    refused = ben.post(url, corrected)

    assertContains(refused, "so nothing was saved")
    assert Section.objects.get().name == "World news"
    ben.post(url, form_shown(refused))
    assert (Section.objects.get().name, Section.objects.get().description) == (
        "World news",
        "Abroad.",
    )


def test_an_unchanged_form_saved_twice_is_never_refused():
    tag = TagFactory()
    url = change_url(tag)
    editor = signed_in("Editor", "ana")
    opened = form_shown(editor.get(url))

    assert editor.post(url, opened).status_code == 302
    assert editor.post(url, opened).status_code == 302
    assert LogEntry.objects.filter(action_flag=CHANGE).count() == 2


def test_every_change_form_of_the_admin_refuses_a_stale_save():
    unguarded = [
        type(model_admin).__name__
        for model_admin in admin.site._registry.values()
        if not isinstance(model_admin, StaleSaveGuard)
        and not getattr(model_admin, "guards_own_versions", False)
    ]
    assert unguarded == []
    assert {
        type(model_admin).__name__
        for model_admin in admin.site._registry.values()
        if getattr(model_admin, "guards_own_versions", False)
    } == {"ArticleAdmin", "FrontAdmin"}


def list_shown(response):
    """What the list of sections edited in place sends as it is shown."""
    formset = response.context["cl"].formset
    data = {
        formset.management_form[name].html_name: formset.management_form[name].value()
        for name in formset.management_form.fields
    }
    content = response.content.decode()
    for form in formset:
        for name in ("id", "position", "opened_as"):
            data[form[name].html_name] = str(form[name].value())
        if form["show_in_nav"].value():
            data[form["show_in_nav"].html_name] = "on"
        assert f'name="{form["opened_as"].html_name}"' in content
    return {**data, "_save": "Save"}


def test_a_list_edited_in_place_refuses_a_stale_row_and_keeps_both():
    section = SectionFactory(name="World", position=5, show_in_nav=True)
    SectionFactory(name="Sport", position=6)
    url = reverse("admin:articles_section_changelist")
    change = change_url(section)
    ana, ben = signed_in("Editor", "ana"), signed_in("Editor", "ben")
    rows = list_shown(ben.get(url))

    ana.post(change, {**form_shown(ana.get(change)), "show_in_nav": ""})
    row = next(key[: -len("-id")] for key, value in rows.items() if value == str(section.pk))
    refused = ben.post(url, {**rows, f"{row}-position": "1"})

    assert refused.status_code == 200
    assertContains(refused, "so nothing was saved")
    assert (
        Section.objects.get(pk=section.pk).position,
        Section.objects.get(pk=section.pk).show_in_nav,
    ) == (5, False)
    again = list_shown(refused)
    assert again[f"{row}-position"] == "1"
    assert f"{row}-show_in_nav" not in again

    assert ben.post(url, again).status_code == 302
    saved = Section.objects.get(pk=section.pk)
    assert (saved.position, saved.show_in_nav) == (1, False)


def test_a_row_left_alone_is_not_saved_back_over_a_newer_version():
    # A list shows the values of when it was opened: sent back unchanged, it would put them
    # back over a colleague's newer ones.
    section = SectionFactory(name="World", position=5)
    url = reverse("admin:articles_section_changelist")
    ana, ben = signed_in("Editor", "ana"), signed_in("Editor", "ben")
    rows = list_shown(ben.get(url))

    ana.post(change_url(section), {**form_shown(ana.get(change_url(section))), "position": "9"})
    refused = ben.post(url, rows)

    assertContains(refused, "Ana (at ")
    assert Section.objects.get(pk=section.pk).position == 9
    assert ben.post(url, list_shown(refused)).status_code == 302
    assert Section.objects.get(pk=section.pk).position == 9
