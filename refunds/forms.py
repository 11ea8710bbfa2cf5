from django import forms

from aftersales.limits import case_refund_room
from aftersales.models import Case
from core.forms import StyledForm
from core.uploads import proof_type, stored_name
from refunds.models import PaymentMethod
from refunds.services import room_refusal

# The methods where finance needs to know where to send the money.
NEEDS_PAYMENT_INFO = (PaymentMethod.BANK_TRANSFER, PaymentMethod.E_WALLET)


class RefundCreateForm(StyledForm, forms.Form):
    """Create Refund Order: what the user typed. The case's state and the refundable are checked
    again by `refunds.services.refund_create` under the case's lock."""

    REFUSAL_FIELDS = dict.fromkeys(("amount_not_positive", "above_refundable", "above_order_left"), "amount")

    amount = forms.DecimalField(label="Refund amount", max_digits=12, decimal_places=2)
    method = forms.ChoiceField(label="Payment method", choices=PaymentMethod.choices)
    payment_info = forms.CharField(
        label="Payment information",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Bank name, account number and holder, or the e-wallet id.",
    )
    proof = forms.FileField(
        label="Payment proof",
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/*,application/pdf"}),
        help_text="A photo, screenshot or PDF of the transfer (up to 10 MB).",
    )
    note = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.room = case_refund_room(case)
        self.left = self.room.left
        self.fields["amount"].initial = self.left
        self.fields["amount"].help_text = f"At most {self.left} {case.currency} (left to refund)."
        if self.room.case_left > self.left:
            order = self.room.order
            self.fields["amount"].help_text = (
                f"At most {self.left} {case.currency}: what order {order.number} has left to refund "
                f"(paid {order.paid}, its other cases {order.claimed})."
            )
        self.fields["amount"].widget.attrs.update({"step": "0.01", "min": "0.01", "max": str(self.left)})

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount <= 0:
            raise forms.ValidationError("The refund amount must be more than 0.")
        if refusal := room_refusal(self.case, self.room, amount, f"The refund amount {amount} {self.case.currency}"):
            raise forms.ValidationError(refusal.message)
        return amount

    def clean_proof(self):
        upload = self.cleaned_data.get("proof")
        if not upload:
            return None
        # named after what the file really is; refunds.models.proof_path stores it under a random name
        upload.name = stored_name(proof_type(upload))
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("method") in NEEDS_PAYMENT_INFO and not cleaned.get("payment_info", "").strip():
            self.add_error("payment_info", "Give the bank name, account number and holder, or the e-wallet id.")
        return cleaned


class RefundRejectForm(StyledForm, forms.Form):
    reason = forms.CharField(
        label="Reason for rejecting",
        max_length=200,
        error_messages={"required": "Give the reason for rejecting."},
        help_text="The case goes back to where a new payment slip can be created.",
    )
