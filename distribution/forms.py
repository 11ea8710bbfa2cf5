from django import forms

from core.forms import StyledForm
from distribution.models import RefundMethod
from refunds.forms import checked_proof, proof_field


class RefundToDistributorForm(StyledForm, forms.Form):
    """Create Refund Order: the method, the amount (the refundable by default), bank details."""

    REFUSAL_FIELDS = {
        "above_refundable": "amount",
        "amount_not_positive": "amount",
        "bank_details_missing": "bank_details",
        "proof_missing": "proof",
    }
    METHODS = [(RefundMethod.CUSTOMER_BALANCE, "Customer Balance"), (RefundMethod.BANK_TRANSFER, "Bank Transfer")]

    method = forms.ChoiceField(label="Refund method", choices=METHODS)
    amount = forms.DecimalField(label="Refund amount", max_digits=12, decimal_places=2)
    bank_details = forms.CharField(
        label="Bank details", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    proof = proof_field(label="Transfer proof")

    def __init__(self, *args, refundable, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].initial = refundable
        self.fields["amount"].help_text = f"At most {refundable} {currency} (Refundable)."
        self.fields["bank_details"].help_text = "Bank Transfer only: bank, account name and number."
        self.fields["proof"].help_text = "Bank Transfer only: a photo, screenshot or PDF of the transfer (up to 10 MB)."

    def clean_proof(self):
        return checked_proof(self.cleaned_data.get("proof"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("method") == RefundMethod.BANK_TRANSFER:
            if not (cleaned.get("bank_details") or "").strip():
                self.add_error("bank_details", "Give the bank details of the transfer.")
            if not cleaned.get("proof") and "proof" not in self.errors:
                self.add_error("proof", "Attach the proof of the transfer (an image or a PDF).")
        return cleaned


class CompleteWithoutRefundForm(StyledForm, forms.Form):
    """Complete without refund: a received return whose Refundable is 0, with the reason."""

    REFUSAL_FIELDS = {"reason_missing": "reason"}

    reason = forms.CharField(
        label="Reason", max_length=200, error_messages={"required": "Say why nothing is refunded."}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the distributor reads the reason: the supplier's figures stay out of the suggestion
        self.fields["reason"].initial = "Nothing refundable: what is unsettled on the order and the fees cover it."
        self.fields["reason"].help_text = "Shown on both timelines, yours and the distributor's."


class ChargeSettingForm(StyledForm, forms.Form):
    """Distribution Charge Setting: the return handling fee on refunds to distributors."""

    per_order = forms.DecimalField(label="Return handling fee per order", max_digits=12, decimal_places=2, min_value=0)
    per_item = forms.DecimalField(label="Return handling fee per item", max_digits=12, decimal_places=2, min_value=0)
