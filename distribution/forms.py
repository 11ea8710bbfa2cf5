from django import forms

from core.forms import StyledForm
from distribution.models import RefundMethod


class RefundToDistributorForm(StyledForm, forms.Form):
    """Create Refund Order: the method, the amount (the refundable by default), bank details."""

    REFUSAL_FIELDS = {
        "above_refundable": "amount",
        "amount_not_positive": "amount",
        "bank_details_missing": "bank_details",
    }

    method = forms.ChoiceField(label="Refund method", choices=RefundMethod.choices)
    amount = forms.DecimalField(label="Refund amount", max_digits=12, decimal_places=2)
    bank_details = forms.CharField(
        label="Bank details", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, refundable, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].initial = refundable
        self.fields["amount"].help_text = f"At most {refundable} {currency} (Refundable)."
        self.fields["bank_details"].help_text = "Bank Transfer only: bank, account name and number."


class ChargeSettingForm(StyledForm, forms.Form):
    """Distribution Charge Setting: the return handling fee on refunds to distributors."""

    per_order = forms.DecimalField(label="Return handling fee per order", max_digits=12, decimal_places=2, min_value=0)
    per_item = forms.DecimalField(label="Return handling fee per item", max_digits=12, decimal_places=2, min_value=0)
