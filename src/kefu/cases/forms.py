from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.cases.forms_files import ReplyFilesField
from kefu.cases.models import Case, Commitment, CompensationOffer, Escalation
from kefu.core.models import Department

FLAG_CHOICES = [
    ("overdue", _("Overdue promise")),
    ("breached", _("SLA breached")),
    ("due_soon", _("SLA due soon")),
    ("over_heads", _("Over heads")),
    ("loop", _("Transfer loop")),
    ("upset", _("Upset customer")),
]
SCOPE_CHOICES = [
    ("mine", _("Mine")),
    ("team", _("My team")),
    ("unassigned", _("Unassigned")),
    ("department", _("My department")),
    ("all", _("All")),
]


class QueueFilterForm(forms.Form):
    scope = forms.ChoiceField(label=_("Queue"), choices=SCOPE_CHOICES, required=False)
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.MultipleChoiceField(label=_("Status"), choices=Case.Status, required=False)
    priority = forms.MultipleChoiceField(label=_("Priority"), choices=Case.Priority, required=False)
    category = forms.MultipleChoiceField(label=_("Category"), choices=Case.Category, required=False)
    flag = forms.MultipleChoiceField(label=_("Flags"), choices=FLAG_CHOICES, required=False)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Reply to the customer"), widget=forms.Textarea(attrs={"rows": 5})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    # One of the contact's reachable channels (the service refuses any other); empty:
    # the case's channel or the next reachable one.
    channel = forms.CharField(label=_("Send by"), required=False, max_length=20)
    # When the agent loaded the page: on a collision, what changed since is shown.
    # Read leniently (views_reply): a mangled value never stops a reply going out.
    loaded_at = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    # Sent with the e-mail (cases.services.files); as large as an inbound file may be.
    attachments = ReplyFilesField(label=_("Attach files"))


class ResendForm(forms.Form):
    channel = forms.CharField(label=_("Send by"), max_length=20)


class DraftForm(forms.Form):
    body = forms.CharField(required=False, strip=False)
    channel = forms.CharField(required=False, max_length=20)


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 3}))


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Case.Status)
    version = forms.IntegerField(widget=forms.HiddenInput)


class EscalateForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=Escalation.Reason)
    explanation = forms.CharField(
        label=_("Why, in words the customer will read"), widget=forms.Textarea(attrs={"rows": 2})
    )


class OverHeadsForm(forms.Form):
    note = forms.CharField(
        label=_("How did the customer escalate?"), widget=forms.Textarea(attrs={"rows": 2})
    )


class TransferForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("To department"), queryset=Department.objects.order_by("name")
    )
    why = forms.CharField(label=_("Why that department"), widget=forms.Textarea(attrs={"rows": 2}))
    next_steps = forms.CharField(
        label=_("What happens next"), widget=forms.Textarea(attrs={"rows": 2})
    )
    expected_by = forms.DateTimeField(
        label=_("By when"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class CommitmentForm(forms.Form):
    what = forms.CharField(label=_("What was promised"), max_length=300)
    due_at = forms.DateTimeField(
        label=_("Due"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class CommitmentCloseForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(s, s) for s in (Commitment.Status.KEPT, Commitment.Status.BROKEN)]
    )


class CompensationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=CompensationOffer.Kind)
    amount = forms.DecimalField(
        label=_("Amount (CNY)"), min_value=0, max_digits=12, decimal_places=2
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class SavedViewForm(forms.Form):
    name = forms.CharField(label=_("Save this view as"), max_length=100)
