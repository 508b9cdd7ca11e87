"""The portal's forms: sign-in, the code, a reply, a new case, a status subscription."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.cases.forms_files import ReplyFilesField
from kefu.cases.models import Case

# The categories a customer chooses from, in words a customer uses.
PORTAL_CATEGORIES = [
    (Case.Category.ENQUIRY, _("A question")),
    (Case.Category.EMERGENCY, _("Something urgent")),
    (Case.Category.STOPPAGE, _("Work has stopped")),
    (Case.Category.REQUIREMENT_CHANGE, _("A change to what was agreed")),
    (Case.Category.BELOW_EXPECTATION, _("A complaint about the service")),
]


class SignInForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Send the code by"),
        choices=[("email", _("E-mail")), ("sms", _("SMS"))],
        initial="email",
        widget=forms.RadioSelect,
    )
    address = forms.CharField(
        label=_("E-mail address or mobile number"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "email"}),
    )


class CodeForm(forms.Form):
    channel = forms.CharField(widget=forms.HiddenInput)
    address = forms.CharField(widget=forms.HiddenInput, max_length=254)
    code = forms.CharField(
        label=_("Sign-in code"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
    next = forms.CharField(widget=forms.HiddenInput, required=False)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    attachments = ReplyFilesField(label=_("Photos or files"))


class CaseForm(forms.Form):
    subject = forms.CharField(label=_("Title"), max_length=200)
    category = forms.ChoiceField(label=_("What is it about?"), choices=PORTAL_CATEGORIES)
    body = forms.CharField(label=_("Describe it"), widget=forms.Textarea(attrs={"rows": 5}))
    attachments = ReplyFilesField(label=_("Photos or files"))


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
