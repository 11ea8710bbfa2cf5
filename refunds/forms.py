from django import forms

from aftersales.limits import case_refund_room
from aftersales.models import Case
from core.forms import StyledForm
from core.uploads import proof_type, stored_name
from refunds.models import PaymentMethod
from refunds.services import room_refusal

# The methods where finance needs to know where to send the money.
NEEDS_PAYMENT_INFO = (PaymentMethod.BANK_TRANSFER, PaymentMethod.E_WALLET)


def proof_field(*, label: str = "Payment proof", required: bool = False) -> forms.FileField:
    """A payment proof's field, on every form taking one (a refund to a buyer, or to a distributor)."""
    return forms.FileField(
        label=label,
        required=required,
        widget=forms.FileInput(attrs={"accept": "image/*,application/pdf"}),
        help_text="A photo, screenshot or PDF of the transfer (up to 10 MB).",
    )


def checked_proof(upload):
    """A payment proof as it may be stored: an image or a PDF (read from its content) up to 10 MB,
    renamed after what it really is (the model's upload_to then stores it under a random name)."""
    if not upload:
        return None
    upload.name = stored_name(proof_type(upload))
    return upload


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
    proof = proof_field()
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
        return checked_proof(self.cleaned_data.get("proof"))

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
