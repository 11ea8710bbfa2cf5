from django import forms

from aftersales.limits import MAX_ADDED_UNITS, returnable_message
from aftersales.models import MANUAL_TYPES, Case, CaseType, LineKind
from aftersales.services import LineInput
from core.errors import Refused
from core.forms import StyledForm
from core.limits import MAX_LINE_QUANTITY
from core.uploads import check_together, evidence_type
from inventory.models import Condition, Warehouse
from inventory.pickers import SKUField, sku_search_url
from orders.models import Order

LINE_FIELDS = {"sku": "sku", "quantity": "qty", "amount": "amount"}  # a refusal's field -> the row's field
EXTRA_LINES = 3  # empty rows offered for added returned SKUs, and for exchange SKUs
REASONS = [
    "Wrong size",
    "Wrong item sent",
    "Damaged in transit",
    "Item not as described",
    "Missing accessory",
    "Defective",
    "Changed mind",
    "Parcel not received",
]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files at once (photos, video, PDF), within the caps of one request; each checked by
    content. Cleans to a list of (upload, content type)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        uploads = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        check_together(uploads)
        return [(super(EvidenceField, self).clean(upload, initial), evidence_type(upload)) for upload in uploads]


def _quantity(label: str, *, max_value: int, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        min_value=1,
        max_value=max_value,
        label=label,
        error_messages={"min_value": "At least 1."},
        required=False,
        **kwargs,
    )


def _amount(label: str = "Amount") -> forms.DecimalField:
    return forms.DecimalField(
        min_value=0,
        max_digits=12,
        decimal_places=2,
        required=False,
        label=label,
        error_messages={"min_value": "Cannot be negative."},
    )


class CaseCreateForm(StyledForm, forms.Form):
    """Create After-Sales Order. The order's lines are proposed (untick to remove); rows below add
    other SKUs. Quantity first: an empty amount is quantity x unit price; a typed one is kept."""

    type = forms.ChoiceField(
        choices=[(t.value, t.label) for t in MANUAL_TYPES], widget=forms.RadioSelect, label="After-sales type"
    )
    reason = forms.CharField(max_length=200, required=False, widget=forms.TextInput(attrs={"list": "reasons"}))
    return_tracking_number = forms.CharField(
        max_length=64,
        required=False,
        label="Buyer's return tracking number",
        help_text="Recommended before stock-in: the warehouse finds the case by scanning it.",
    )
    assignee = forms.ModelChoiceField(queryset=None, required=False, label="Person in charge", empty_label="Nobody")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    evidence = EvidenceField(required=False, label="Buyer evidence (photos, video, PDF)")
    over_refund_note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=500,
        label="Over-refund note",
        help_text="Needed only to refund a line above quantity x unit price, or more than the order has left to "
        "refund: say why. It is kept in the case timeline.",
    )

    def __init__(
        self, *args, order: Order, returnable: dict[int, int], skus, users, can_over_refund: bool = False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.order = order
        self.fields["assignee"].queryset = users
        if not can_over_refund:  # the role cannot go beyond the limits: nothing to explain
            del self.fields["over_refund_note"]
        self.order_lines = []
        for item in order.items.select_related("sku"):
            left = returnable.get(item.sku_id, 0)
            prefix = f"item_{item.pk}"
            self.fields[f"{prefix}_on"] = forms.BooleanField(required=False, initial=left > 0, label=item.sku.code)
            self.fields[f"{prefix}_qty"] = _quantity("Quantity", initial=left or None, max_value=max(left, 1))
            self.fields[f"{prefix}_qty"].error_messages["max_value"] = returnable_message(item.sku.code, left)
            self.fields[f"{prefix}_amount"] = _amount()
            self.order_lines.append((item, left, prefix))
        # an added SKU is usually one not on the order: bounded by the per-case limit
        self.search_url = sku_search_url(tier=order.buyer.tier if order.buyer_id else None, currency=order.currency)
        self.added_lines = [self._sku_row("add", n, skus, MAX_ADDED_UNITS) for n in range(EXTRA_LINES)]
        self.exchange_lines = [self._sku_row("ex", n, skus, MAX_LINE_QUANTITY) for n in range(EXTRA_LINES)]

    def _sku_row(self, kind: str, n: int, skus, max_quantity: int) -> str:
        prefix, label = f"{kind}_{n}", f"{'Added' if kind == 'add' else 'Exchange'} SKU {n + 1}"
        self.fields[f"{prefix}_sku"] = SKUField(
            skus, tenant=self.order.tenant_id, required=False, search_url=self.search_url, label=label
        )
        self.fields[f"{prefix}_qty"] = _quantity("Quantity", max_value=max_quantity)
        self.fields[f"{prefix}_amount"] = _amount()
        return prefix

    @property
    def order_rows(self) -> list[dict]:
        """Bound fields per row, for the template."""
        return [
            {"item": item, "left": left, "on": self[f"{p}_on"], "qty": self[f"{p}_qty"], "amount": self[f"{p}_amount"]}
            for item, left, p in self.order_lines
        ]

    @property
    def added_rows(self) -> list[dict]:
        return self._bound_sku_rows(self.added_lines)

    @property
    def exchange_rows(self) -> list[dict]:
        return self._bound_sku_rows(self.exchange_lines)

    def _bound_sku_rows(self, prefixes: list[str]) -> list[dict]:
        return [{"sku": self[f"{p}_sku"], "qty": self[f"{p}_qty"], "amount": self[f"{p}_amount"]} for p in prefixes]

    def _sku_rows(self, prefixes: list[str]) -> list[tuple[str, LineInput]]:
        lines = []
        for p in prefixes:
            sku, quantity = self.cleaned_data.get(f"{p}_sku"), self.cleaned_data.get(f"{p}_qty")
            if sku and not quantity:
                if f"{p}_qty" not in self.errors:
                    self.add_error(f"{p}_qty", "Give a quantity for this SKU.")
            elif quantity and not sku:
                self.add_error(f"{p}_sku", "Choose the SKU.")
            elif sku:
                lines.append((p, LineInput(sku=sku, quantity=quantity, amount=self.cleaned_data.get(f"{p}_amount"))))
        return lines

    def clean(self) -> dict:
        data = super().clean()
        returned: list[tuple[str, LineInput]] = []
        for item, _, p in self.order_lines:
            if not data.get(f"{p}_on"):
                continue
            quantity = data.get(f"{p}_qty")
            if not quantity:
                if f"{p}_qty" not in self.errors:
                    self.add_error(f"{p}_qty", "Give the quantity returned.")
                continue
            returned.append(
                (p, LineInput(sku=item.sku, quantity=quantity, amount=data.get(f"{p}_amount"), order_item=item))
            )
        returned += self._sku_rows(self.added_lines)
        is_exchange = data.get("type") == CaseType.EXCHANGE
        exchange = self._sku_rows(self.exchange_lines) if is_exchange else []
        # the row each line came from, so a refusal about a line is shown beside it
        self.line_prefixes = {LineKind.RETURNED: [p for p, _ in returned], LineKind.EXCHANGE: [p for p, _ in exchange]}
        self.returned = [line for _, line in returned]
        self.exchange = [line for _, line in exchange]
        if not self.errors:
            if not self.returned:
                raise forms.ValidationError("Keep or add at least one returned item.")
            if is_exchange and not self.exchange:
                raise forms.ValidationError("An exchange needs at least one exchange item.")
        return data

    def refusal_field(self, refusal: Refused) -> str | None:
        """The row's field a service refusal about one line names (core.actions.add_refusal)."""
        figures = refusal.figures
        field, index = figures.get("field"), figures.get("line")
        prefixes = self.line_prefixes.get(figures.get("kind"), [])
        if field not in LINE_FIELDS or index is None or index >= len(prefixes):
            return None
        return f"{prefixes[index]}_{LINE_FIELDS[field]}"


class ConfirmStockInForm(StyledForm, forms.Form):
    warehouse = forms.ModelChoiceField(
        queryset=None,
        label="Return warehouse",
        empty_label="Choose a warehouse",
        error_messages={"required": "Choose the warehouse the parcel goes into."},
    )
    condition = forms.ChoiceField(choices=Condition.choices, initial=Condition.SELLABLE, label="Stock in as")

    def __init__(self, *args, warehouses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].queryset = warehouses
        self.fields["warehouse"].initial = Warehouse.default_return_in(warehouses)


class CancelForm(StyledForm, forms.Form):
    reason = forms.CharField(
        max_length=200, label="Reason for cancelling", error_messages={"required": "Give the reason for cancelling."}
    )


class CaseEditForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Case
        fields = ["return_tracking_number", "assignee", "notes"]
        labels = {"assignee": "Person in charge"}
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = users
        self.fields["assignee"].empty_label = "Nobody"


class EvidenceForm(StyledForm, forms.Form):
    evidence = EvidenceField(label="Add buyer evidence (photos, video, PDF)")
