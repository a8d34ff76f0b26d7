"""The comment form readers fill in under a story."""

import time
from functools import cache

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from crispy_forms.utils import render_crispy_form
from django import forms
from django.core import signing
from django.core.exceptions import NON_FIELD_ERRORS

from .models import Comment, validate_website
from .text import clean_body, clean_line, strip_invisible

FORM_MAX_AGE = 2 * 60 * 60
TOKEN_SALT = "comments.form"  # noqa: S105 - a namespace for the signature, not a secret

TOO_LONG = "Please keep your %(thing)s to %%(limit_value)s characters (it has %%(show_value)s)."


def issue_token(article_pk: int, *, at: float | None = None) -> str:
    """A signed note of which story's form this is and when it was rendered."""
    return signing.dumps(
        {"a": article_pk, "t": at if at is not None else time.time()}, salt=TOKEN_SALT
    )


def seconds_since_issued(token: str, article_pk: int) -> float:
    """
    Seconds since the form carrying `token` was rendered. Raises signing.SignatureExpired
    after FORM_MAX_AGE, signing.BadSignature for a token forged or made for another story.
    """
    issued = signing.loads(token, salt=TOKEN_SALT)
    if not isinstance(issued, dict) or issued.get("a") != article_pk:
        raise signing.BadSignature("The form belongs to another story.")
    age = max(time.time() - float(issued["t"]), 0.0)
    if age > FORM_MAX_AGE:
        raise signing.SignatureExpired(f"The form is {age:.0f} s old.")
    return age


class WebsiteField(forms.URLField):
    """
    A web address. Characters that show nothing are dropped before it is checked, so the
    address a name links to is the one it looks like.
    """

    def to_python(self, value):
        return super().to_python(strip_invisible(value or ""))


class CommentForm(forms.ModelForm):
    website = WebsiteField(
        label="Website",
        required=False,
        max_length=200,
        assume_scheme="https",
        validators=[validate_website],
        help_text="Optional. Your name will link to it.",
        error_messages={
            "invalid": "Please enter a web address starting with http:// or https://.",
            "max_length": TOO_LONG % {"thing": "web address"},
        },
    )
    reply_to = forms.CharField(required=False, widget=forms.HiddenInput)
    started = forms.CharField(required=False, widget=forms.HiddenInput)
    # The honeypot: hidden from people (and from screen readers), filled in by robots.
    subject = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = Comment
        fields = ["body", "name", "email", "website"]
        labels = {"body": "Comment", "name": "Name", "email": "Email"}
        help_texts = {
            "body": "Plain text. Web addresses become links. Comments are checked by our "
            "moderators before they appear.",
            "email": "Never shown to readers.",
        }
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}
        error_messages = {
            "body": {
                "required": "Please enter your comment!",
                "max_length": TOO_LONG % {"thing": "comment"},
            },
            "name": {
                "required": "Please enter your name here",
                "max_length": TOO_LONG % {"thing": "name"},
            },
            "email": {
                "required": "Please enter your email address here",
                "invalid": "Please enter a valid email address, like name@example.org.",
                "max_length": TOO_LONG % {"thing": "email address"},
            },
        }

    def __init__(self, *args, article, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        self.parent = None
        self.seconds_to_post = None
        if not self.is_bound and article is not None:
            self.initial.setdefault("started", issue_token(article.pk))
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["website"].widget.attrs["autocomplete"] = "url"

        self.helper = FormHelper(self)
        # The <form> element (it names the story), the CSRF token and the hidden fields (the
        # comment replied to, the "started" note) are the template's, comments/_form.html: the
        # fields laid out here are the same under every story, so a blank form's are rendered
        # once (blank_fields()).
        # The blank form is part of the story page, which is cached and shared by every
        # reader: it carries no CSRF token of its own. comment-form.js fetches one for this
        # reader (with a fresh "started" note) when they start writing. A form coming back
        # with errors is this reader's own page, and carries their token.
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field("body"),
            Div("name", "email", css_class="comment-form-pair"),
            "website",
            Div("subject", css_class="comment-trap", aria_hidden="true"),
            Submit("post", "Post comment", css_class="button"),
        )

    def fields_with_errors(self) -> int:
        """How many fields readers must correct (a message about the whole form is not one)."""
        return len([name for name in self.errors if name != NON_FIELD_ERRORS])

    def clean_body(self):
        body = clean_body(self.cleaned_data["body"])
        if not body:
            raise forms.ValidationError(self.fields["body"].error_messages["required"])
        return body

    def clean_name(self):
        name = clean_line(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError(self.fields["name"].error_messages["required"])
        return name

    def clean_email(self):
        return strip_invisible(self.cleaned_data["email"]).strip().lower()

    def clean(self):
        cleaned = super().clean()
        self.check_token(cleaned.get("started") or "")
        self.check_reply_to(cleaned.get("reply_to"))
        return cleaned

    def check_token(self, token):
        try:
            self.seconds_to_post = seconds_since_issued(token, self.article.pk)
        except signing.SignatureExpired:
            self.renew_token()
            self.add_error(
                None,
                "This page was open for more than two hours, so we could not accept the "
                "comment yet. Everything you typed is still here: please post it again.",
            )
        except signing.BadSignature:
            self.renew_token()
            self.add_error(
                None,
                "We could not check where this comment came from. Everything you typed is "
                "still here: please post it again.",
            )

    def renew_token(self):
        self.data = self.data.copy()
        self.data[self.add_prefix("started")] = issue_token(self.article.pk)

    def check_reply_to(self, reply_to):
        if not reply_to:
            return
        if reply_to.isascii() and reply_to.isdigit():
            self.parent = (
                Comment.objects.visible()
                .filter(article=self.article, parent__isnull=True, pk=int(reply_to))
                .first()
            )
        if self.parent is None:
            self.data = self.data.copy()
            self.data[self.add_prefix("reply_to")] = ""
            self.add_error(
                None,
                "The comment you were replying to is no longer shown. You can still post "
                "yours as a new comment.",
            )

    def focus_first_error(self):
        """Put the cursor in the first field with an error when the page comes back."""
        for name in self.Meta.fields:
            if name in self.errors:
                self.fields[name].widget.attrs["autofocus"] = True
                return


def fields_html(form: CommentForm) -> str:
    """
    The fields of a comment form: a posted one's with what the reader typed and its errors; a
    blank one's, the same under every story, rendered once.
    """
    return render_crispy_form(form) if form.is_bound else blank_fields()


@cache
def blank_fields() -> str:
    return render_crispy_form(CommentForm(article=None))
