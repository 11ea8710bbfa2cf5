from django import forms

from core.forms import StyledForm
from orders.cancellation import CancelRule
from orders.models import Order


class CancelForm(StyledForm, forms.Form):
    """The platform's reasons; for platforms that cancel items (Lazada), a quantity per line."""

    reason = forms.ChoiceField(choices=())

    def __init__(self, *args, order: Order, rule: CancelRule, **kwargs):
        super().__init__(*args, **kwargs)
        self.order, self.rule = order, rule
        self.fields["reason"].choices = [("", "Choose a reason"), *((r, r) for r in rule.reasons)]
        self.lines = []
        if rule.partial:
            for item in order.items.select_related("sku"):
                if item.open_quantity:
                    name = f"qty_{item.pk}"
                    self.fields[name] = forms.IntegerField(
                        min_value=0,
                        max_value=item.open_quantity,
                        initial=0,
                        required=False,
                        label=f"{item.sku.code} (of {item.open_quantity})",
                    )
                    self.lines.append((item, name))

    def item_quantities(self) -> dict[int, int] | None:
        """Quantities to cancel per item; None (the whole order) when no line was chosen."""
        chosen = {item.pk: self.cleaned_data.get(name) or 0 for item, name in self.lines}
        chosen = {pk: quantity for pk, quantity in chosen.items() if quantity}
        return chosen or None


class OrderIdsForm(forms.Form):
    """Orders selected for a bulk action, resolved within `orders` (the user's scoped queryset)."""

    order = forms.ModelMultipleChoiceField(
        queryset=Order.objects.none(),
        error_messages={
            "required": "Select orders first.",
            "invalid_choice": "An order you selected is not in this list any more.",
        },
    )

    def __init__(self, *args, orders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].queryset = orders


class EntryEditForm(StyledForm, forms.Form):
    """Order Entry: a manual order's lines (quantity and unit price) and tracking number."""

    tracking_number = forms.CharField(max_length=64, required=False)

    def __init__(self, *args, order: Order, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = []
        for item in order.items.select_related("sku"):
            qty, price = f"qty_{item.pk}", f"price_{item.pk}"
            self.fields[qty] = forms.IntegerField(min_value=1, initial=item.quantity, label=f"{item.sku.code} quantity")
            self.fields[price] = forms.DecimalField(
                min_value=0,
                max_digits=12,
                decimal_places=2,
                initial=item.unit_price,
                label=f"{item.sku.code} unit price",
            )
            self.lines.append((item, qty, price))
        self.fields["tracking_number"].initial = order.tracking_number

    def line_values(self) -> dict[int, tuple[int, object]]:
        return {item.pk: (self.cleaned_data[qty], self.cleaned_data[price]) for item, qty, price in self.lines}
