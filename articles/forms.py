"""Forms of the reader site."""

from django import forms

from .models import Section
from .search import clean_query


class SectionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, section):
        if section.parent is not None:
            return f"{section.parent.name} › {section.name}"
        return section.name


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
    date_from = forms.DateField(
        label="Published from",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label="Published until",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

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
