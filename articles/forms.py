"""Forms of the reader site."""

from django import forms

from .models import Section
from .search import clean_query, newsroom_day, searchable_days


class SectionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, section):
        if section.parent is not None:
            return f"{section.parent.name} › {section.name}"
        return section.name


class SearchDateField(forms.DateField):
    """A day a search can name: see searchable_days()."""

    widget = forms.DateInput(attrs={"type": "date"})

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        try:
            newsroom_day(value)
        except OverflowError:
            first, last = searchable_days()
            raise forms.ValidationError(
                f"Enter a date from {first.isoformat()} to {last.isoformat()}.", code="out_of_range"
            ) from None


class SearchForm(forms.Form):
    """The search page's form. Any text is a query; only the filters can be wrong."""

    q = forms.CharField(
        label="Search for",
        required=False,
        widget=forms.SearchInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    section = SectionChoiceField(
        queryset=Section.objects.select_related("parent").order_by(
            "parent__position", "parent__name", "position", "name"
        ),
        to_field_name="slug",
        required=False,
        empty_label="All sections",
    )
    date_from = SearchDateField(label="Published from", required=False)
    date_to = SearchDateField(label="Published until", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)

    def clean_q(self):
        return clean_query(self.cleaned_data["q"])

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", "This is before the “published from” date.")
        return cleaned

    @property
    def is_filtered(self):
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) for name in ("section", "date_from", "date_to"))
