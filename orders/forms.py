from django import forms

from core.filters import parse_int
from core.forms import StyledForm
from core.limits import MAX_AMOUNT, MAX_LINE_QUANTITY
from inventory.pickers import SKUField
from orders.cancellation import CancelRule
from orders.models import Order

WHOLE, ITEMS = "whole", "items"


def units_text(units: int) -> str:
    return "1 item" if units == 1 else f"{units} items"


class CancelForm(StyledForm, forms.Form):
    """The platform's reasons; for platforms that cancel items (Lazada), an explicit choice between the
    whole order and chosen items, with a quantity per line. Leaving every quantity at 0 never means
    "the whole order": the user says which."""

    # the field beside which a refusal of `services.order_cancel` is shown, by its code; the
    # quantities' errors go on `scope`, shown under them
    REFUSAL_FIELDS = {"unknown_reason": "reason", "whole_orders_only": "scope", "item_quantity": "scope"}

    reason = forms.ChoiceField(choices=())

    def __init__(self, *args, order: Order, rule: CancelRule, **kwargs):
        super().__init__(*args, **kwargs)
        self.order, self.rule = order, rule
        self.fields["reason"].choices = [("", "Choose a reason"), *((r, r) for r in rule.reasons)]
        self.lines = []
        if rule.partial:
            self.fields["scope"] = forms.ChoiceField(
                choices=[(WHOLE, "Cancel the whole order"), (ITEMS, "Cancel chosen items")],
                initial=WHOLE,
                widget=forms.RadioSelect,
                label="What to cancel",
                error_messages={"required": "Choose the whole order or chosen items."},
            )
            for item in order.items.select_related("sku"):
                if item.open_quantity:
                    name = f"qty_{item.pk}"
                    self.fields[name] = forms.IntegerField(
                        min_value=0,
                        max_value=item.open_quantity,
                        initial=0,
                        required=False,
                        label=f"{item.sku.code} (of {item.open_quantity})",
                        widget=forms.NumberInput(attrs={"data-units": ""}),
                    )
                    self.lines.append((item, name))

    @property
    def quantity_fields(self) -> list:
        return [self[name] for _, name in self.lines]

    def _chosen(self) -> dict[int, int]:
        chosen = {item.pk: self.cleaned_data.get(name) or 0 for item, name in self.lines}
        return {pk: quantity for pk, quantity in chosen.items() if quantity}

    def clean(self) -> dict:
        data = super().clean()
        if any(name in self.errors for _, name in self.lines):
            return data
        # Errors about the quantities go on `scope`, which the page shows right under them.
        if data.get("scope") == ITEMS and not self._chosen():
            self.add_error("scope", "Give at least one item a quantity to cancel, or choose Cancel the whole order.")
        elif data.get("scope") == WHOLE and self._chosen():
            self.add_error(
                "scope", "You chose the whole order: set the quantities back to 0, or choose Cancel chosen items."
            )
        return data

    def item_quantities(self) -> dict[int, int] | None:
        """Quantities to cancel per item; None for the whole order."""
        return self._chosen() if self.cleaned_data.get("scope") == ITEMS else None

    def labels(self) -> dict[str, str]:
        """The submit button's words for each choice (static/js/app.js switches them as the user chooses)."""
        number = self.order.number
        return {
            "whole": f"Cancel order {number}",
            "items": f"Cancel {{items}} of order {number}",
            "chosen": f"Cancel chosen items of order {number}",
        }

    def submit_label(self) -> str:
        """The button's words for what was last submitted (the whole order before any choice)."""
        labels = self.labels()
        if not (self.is_bound and self.data.get("scope") == ITEMS):
            return labels["whole"]
        units = sum(parse_int(self.data.get(name)) or 0 for _, name in self.lines)
        return labels["items"].replace("{items}", units_text(units)) if units else labels["chosen"]


class EntryEditForm(StyledForm, forms.Form):
    """Order Entry: a manual order's lines (quantity and unit price) and tracking number."""

    tracking_number = forms.CharField(max_length=64, required=False)

    def __init__(self, *args, order: Order, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = []
        for item in order.items.select_related("sku"):
            qty, price = f"qty_{item.pk}", f"price_{item.pk}"
            self.fields[qty] = forms.IntegerField(
                min_value=1, max_value=MAX_LINE_QUANTITY, initial=item.quantity, label=f"{item.sku.code} quantity"
            )
            self.fields[price] = forms.DecimalField(
                min_value=0,
                max_value=MAX_AMOUNT,
                max_digits=12,
                decimal_places=2,
                initial=item.unit_price,
                label=f"{item.sku.code} unit price",
            )
            self.lines.append((item, qty, price))
        self.fields["tracking_number"].initial = order.tracking_number

    def refusal_field(self, refused) -> str | None:
        """The line a service refusal names (`item`, `field`): core.actions.add_refusal puts it there."""
        figures = refused.figures
        return f"{'qty' if figures.get('field') == 'quantity' else 'price'}_{figures.get('item')}"

    def line_values(self) -> dict[int, tuple[int, object]]:
        return {item.pk: (self.cleaned_data[qty], self.cleaned_data[price]) for item, qty, price in self.lines}


ENTRY_LINES = 5


class EntryCreateForm(StyledForm, forms.Form):
    """Order Entry: a manual or offline order. An empty unit price takes the buyer's tier price,
    else the SKU's wholesale price, else 0."""

    store = forms.ModelChoiceField(queryset=None, empty_label="Choose a store")
    warehouse = forms.ModelChoiceField(queryset=None, label="Shipping warehouse", empty_label="Choose a warehouse")
    buyer = forms.ModelChoiceField(queryset=None, required=False, empty_label="No buyer")

    def __init__(self, *args, tenant, stores, warehouses, buyers, skus, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].queryset = stores
        self.fields["warehouse"].queryset = warehouses
        self.fields["buyer"].queryset = buyers
        for n in range(ENTRY_LINES):
            self.fields[f"sku_{n}"] = SKUField(skus, tenant=tenant, required=False, label=f"Line {n + 1} SKU")
            self.fields[f"qty_{n}"] = forms.IntegerField(
                min_value=1, max_value=MAX_LINE_QUANTITY, required=False, label="Quantity"
            )
            self.fields[f"price_{n}"] = forms.DecimalField(
                min_value=0, max_value=MAX_AMOUNT, max_digits=12, decimal_places=2, required=False, label="Unit price"
            )

    def clean(self) -> dict:
        data = super().clean()
        self.lines, self.rows = [], []  # the filled lines, and the row each came from
        for n in range(ENTRY_LINES):
            sku, quantity = data.get(f"sku_{n}"), data.get(f"qty_{n}")
            if sku and not quantity:
                if f"qty_{n}" not in self.errors:
                    self.add_error(f"qty_{n}", "Give a quantity for this SKU.")
            elif quantity and not sku:
                if f"sku_{n}" not in self.errors:
                    self.add_error(f"sku_{n}", "Choose the SKU.")
            elif sku:
                self.lines.append((sku, quantity, data.get(f"price_{n}")))
                self.rows.append(n)
        if not self.lines and not self.errors:
            raise forms.ValidationError("Add at least one line.")
        return data

    def refusal_field(self, refused) -> str | None:
        """The row a service refusal names (`line` counts the filled rows; `field`): core.actions.add_refusal."""
        figures = refused.figures
        if figures.get("line") is None or figures["line"] >= len(self.rows):
            return None
        prefix = {"sku": "sku", "quantity": "qty", "price": "price"}.get(figures.get("field"), "sku")
        return f"{prefix}_{self.rows[figures['line']]}"
