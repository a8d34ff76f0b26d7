"""Where stories are filed and who writes them: sections, authors, tags."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.text import slugify

from newsroom.writes import WriteSignallingQuerySet

RESERVED_SECTION_SLUGS = frozenset(
    {
        # The site's own pages (newsroom/urls.py).
        "about",
        "contact",
        "corrections-policy",
        "accounts",
        "admin",
        "api",
        "author",
        "comments",
        "feeds",
        "images",
        # /feeds/latest/ is the whole site's feed, so no section's feed may use its address.
        "latest",
        "media",
        "preview",
        "search",
        "static",
        "tag",
    }
)


def validate_section_slug(value):
    if value in RESERVED_SECTION_SLUGS:
        raise ValidationError(
            "“%(slug)s” is used by the site itself; choose another slug.",
            code="reserved",
            params={"slug": value},
        )


def unique_slug(queryset, text, *, max_length, exclude_pk=None):
    """A slug for `text` that no row of `queryset` uses yet: `slug`, `slug-2`, `slug-3`…"""
    base = slugify(text)[:max_length].strip("-") or "story"
    taken = queryset.filter(slug__startswith=base)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    taken = set(taken.values_list("slug", flat=True))
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        suffix = f"-{number}"
        candidate = f"{base[: max_length - len(suffix)].rstrip('-')}{suffix}"
    return candidate


class SectionQuerySet(WriteSignallingQuerySet):
    def front(self, slug):
        """
        The section at `slug`, with `front_ids`: its id and its subsections' ids, the
        sections whose stories its front shows. One query; None when there is no such section.
        """
        family = list(self.filter(Q(slug=slug) | Q(parent__slug=slug)))
        section = next((member for member in family if member.slug == slug), None)
        if section is not None:
            section.front_ids = [section.pk] + [
                member.pk for member in family if member.parent_id == section.pk
            ]
        return section


class Section(models.Model):
    name = models.CharField(max_length=80)
    slug = models.SlugField(
        max_length=80,
        validators=[validate_section_slug],
        help_text="The section's address: /<slug>/.",
    )
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="A subsection's stories also appear on its parent's front.",
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order in the navigation, lowest first."
    )
    show_in_nav = models.BooleanField("show in navigation", default=True)

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                name="section_slug_unique",
                violation_error_message="Another section already uses this slug.",
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="section_not_its_own_parent",
                violation_error_message="A section cannot be its own parent.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"section": self.slug})

    def family_ids(self):
        """
        This section's id and its direct subsections' ids: the sections whose stories its
        front shows. `front_ids` when the section came from `Section.objects.front()`, else one
        query for them.
        """
        ids = getattr(self, "front_ids", None)
        if ids is None:
            ids = [self.pk, *self.children.values_list("pk", flat=True)]
        return ids

    def clean(self):
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError(
                    {"parent": "A section cannot sit inside itself or one of its subsections."}
                )
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class Author(models.Model):
    name = models.CharField("display name", max_length=120)
    slug = models.SlugField(max_length=120, help_text="The author page's address: /author/<slug>/.")
    bio = models.TextField("short bio", blank=True)
    photo = models.ForeignKey(
        "photos.Image",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="A head-and-shoulders photo from the image library, shown on the author page.",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
        help_text="The staff account that writes as this author, if any.",
    )

    objects = WriteSignallingQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                name="author_slug_unique",
                violation_error_message="Another author already uses this slug.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})


class Tag(models.Model):
    name = models.CharField(max_length=60)
    slug = models.SlugField(max_length=60, blank=True)

    objects = WriteSignallingQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                name="tag_slug_unique",
                violation_error_message="Another tag already uses this slug.",
            ),
            models.UniqueConstraint(
                Lower("name"),
                name="tag_name_unique_ignoring_case",
                violation_error_message="A tag with this name already exists.",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Tag.objects.all(), self.name, max_length=60, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:tag", kwargs={"slug": self.slug})
