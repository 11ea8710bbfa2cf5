from django import forms
from django.db.models import QuerySet

from aftersales.models import Case, CaseLine
from core.forms import StyledForm
from inventory.models import Warehouse

QUANTITY_ERRORS = {"min_value": "Cannot be negative.", "invalid": "Enter a whole number."}


class ReturnReceiveForm(StyledForm, forms.Form):
    """Stock-In / Return: the warehouse, and per returned line how many came back sellable and how
    many damaged. A blank quantity counts as 0. The state rules (received once, supplier warehouses)
    stay in the service; this checks what the user typed."""

    # the warehouses are read once, offered and checked from that list (a ModelChoiceField reads them
    # again to render its options, and once more to validate the choice)
    warehouse = forms.TypedChoiceField(
        coerce=int,
        error_messages={
            "required": "Choose the warehouse the parcel goes into.",
            "invalid_choice": "Choose one of your own active warehouses.",
        },
    )

    def __init__(
        self, *args, case: Case, lines: QuerySet[CaseLine], warehouses: QuerySet, last_warehouse_id=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.case = case
        self.warehouses = {warehouse.pk: warehouse for warehouse in warehouses}
        field = self.fields["warehouse"]
        field.choices = [("", "Choose a warehouse"), *((pk, str(w)) for pk, w in self.warehouses.items())]
        if len(self.warehouses) == 1:  # the usual single warehouse: nothing to choose
            field.initial = next(iter(self.warehouses))
        field.initial = Warehouse.default_return_in(self.warehouses.values()) or field.initial
        if last_warehouse_id in self.warehouses:  # still one to pick from
            field.initial = last_warehouse_id
        self.lines = list(lines)
        for line in self.lines:
            self.fields[f"sellable_{line.pk}"] = forms.IntegerField(
                label=f"{line.sku.code} sellable",
                min_value=0,
                initial=line.quantity,
                required=False,
                error_messages=QUANTITY_ERRORS,
            )
            self.fields[f"damaged_{line.pk}"] = forms.IntegerField(
                label=f"{line.sku.code} damaged",
                min_value=0,
                initial=0,
                required=False,
                error_messages=QUANTITY_ERRORS,
            )

    @property
    def rows(self) -> list[tuple[CaseLine, forms.BoundField, forms.BoundField]]:
        """Per line, its two quantity inputs, for the template's table."""
        return [(line, self[f"sellable_{line.pk}"], self[f"damaged_{line.pk}"]) for line in self.lines]

    def clean_warehouse(self) -> Warehouse:
        return self.warehouses[self.cleaned_data["warehouse"]]

    def clean(self) -> dict:
        data = super().clean()
        total = 0
        for line in self.lines:
            sellable_name, damaged_name = f"sellable_{line.pk}", f"damaged_{line.pk}"
            if sellable_name in self.errors or damaged_name in self.errors:
                continue
            received = (data.get(sellable_name) or 0) + (data.get(damaged_name) or 0)
            if received > line.quantity:
                self.add_error(sellable_name, f"{received} received is more than the {line.quantity} expected.")
            total += received
        if not self.errors and total == 0:
            raise forms.ValidationError("Receive at least one item: every quantity is 0.")
        return data

    def refusal_field(self, refused) -> str | None:
        """A service refusal about one case line goes beside its quantities (core.actions.add_refusal)."""
        line = refused.figures.get("case_line")
        return f"sellable_{line}" if line else None

    def received(self) -> dict[int, tuple[int, int]]:
        """Line id -> (sellable, damaged), as `case_receive` takes it."""
        return {
            line.pk: (self.cleaned_data[f"sellable_{line.pk}"] or 0, self.cleaned_data[f"damaged_{line.pk}"] or 0)
            for line in self.lines
        }

    def item_count(self) -> int:
        return sum(sellable + damaged for sellable, damaged in self.received().values())
