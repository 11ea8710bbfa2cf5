"""Settings > Products, Customer tiers, Warehouses: what the seller typed, checked field by field.
The rules (one level of combo, unique codes, one default return warehouse) are the services'; the
forms say the common mistakes beside their fields before the service is asked."""

from django import forms

from core.errors import Refused
from core.forms import StyledForm
from core.limits import MAX_AMOUNT, MAX_LINE_QUANTITY
from inventory.models import SKU, CustomerTier, Warehouse, WarehouseKind
from inventory.pickers import SKUField, sku_search_url
from inventory.services import SELLER_KINDS, SKUInput, WarehouseInput

EXTRA_COMPONENT_ROWS = 3  # empty sub-SKU lines offered on a combo form, beyond those it holds
PRICE_ERRORS = {
    "min_value": "Cannot be negative.",
    "max_value": f"At most {MAX_AMOUNT:,}.",
    "invalid": "Enter an amount, e.g. 12.50.",
}


def _price_field(label: str, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_value=MAX_AMOUNT,
        max_digits=12,
        decimal_places=2,
        help_text=help_text,
        error_messages=PRICE_ERRORS,
    )


class SKUForm(StyledForm, forms.Form):
    code = forms.CharField(max_length=60, label="SKU code")
    name = forms.CharField(max_length=200, label="Product name")
    wholesale_price = _price_field("Wholesale price", "Used when the buyer's tier has no price of its own.")
    is_combo = forms.BooleanField(
        required=False, label="Combo", help_text="A bundle of single SKUs; fixed once the SKU is created."
    )
    is_active = forms.BooleanField(
        required=False,
        initial=True,
        label="Active",
        help_text="Inactive SKUs are not offered for new orders and cases.",
    )

    REFUSAL_FIELDS = {"duplicate_code": "code"}

    def __init__(self, *args, tenant, tiers, components, sku: SKU | None = None, prices=None, held=(), **kwargs):
        if sku is not None:
            kwargs.setdefault(
                "initial",
                {
                    "code": sku.code,
                    "name": sku.name,
                    "wholesale_price": sku.wholesale_price,
                    "is_active": sku.is_active,
                },
            )
        super().__init__(*args, **kwargs)
        self.tenant, self.sku = tenant, sku
        self.is_combo_fixed = sku is not None
        if sku is not None:
            del self.fields["is_combo"]
        self.tiers = list(tiers)
        prices = prices or {}
        for tier in self.tiers:
            self.fields[f"tier_{tier.pk}"] = _price_field(f"{tier.name} price")
            self.fields[f"tier_{tier.pk}"].initial = prices.get(tier.pk)
        self.component_rows = []
        if sku is None or sku.is_combo:
            held = list(held)
            for n in range(len(held) + EXTRA_COMPONENT_ROWS):
                item = held[n] if n < len(held) else None
                self.fields[f"part_{n}_sku"] = SKUField(
                    components,
                    tenant=tenant,
                    required=False,
                    label=f"Sub-SKU {n + 1}",
                    initial=item.component if item else None,
                    search_url=sku_search_url(single=True),
                )
                self.fields[f"part_{n}_qty"] = forms.IntegerField(
                    required=False,
                    min_value=1,
                    max_value=MAX_LINE_QUANTITY,
                    label=f"Sub-SKU {n + 1} quantity",
                    initial=item.quantity if item else None,
                    error_messages={
                        "min_value": "At least 1.",
                        "max_value": f"At most {MAX_LINE_QUANTITY:,}.",
                        "invalid": "Enter a whole number.",
                    },
                )
                self.component_rows.append(n)

    @property
    def main_fields(self):
        names = ("code", "name", "wholesale_price", "is_combo", "is_active")
        return [self[name] for name in names if name in self.fields]

    @property
    def tier_fields(self):
        return [self[f"tier_{tier.pk}"] for tier in self.tiers]

    @property
    def part_rows(self):
        return [(self[f"part_{n}_sku"], self[f"part_{n}_qty"]) for n in self.component_rows]

    @property
    def combo(self) -> bool:
        return self.sku.is_combo if self.sku is not None else bool(self.cleaned_data.get("is_combo"))

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        taken = SKU.objects.for_tenant(self.tenant).filter(code__iexact=code)
        if self.sku is not None:
            taken = taken.exclude(pk=self.sku.pk)
        if taken.exists():
            raise forms.ValidationError(f"There is already a SKU {code}.")
        return code

    def clean(self) -> dict:
        data = super().clean()
        self.components, self.component_lines, seen = [], [], set()
        for n in self.component_rows:
            sku_name, qty_name = f"part_{n}_sku", f"part_{n}_qty"
            sku, quantity = data.get(sku_name), data.get(qty_name)
            if sku_name in self.errors or qty_name in self.errors:
                continue
            if sku and not quantity:
                self.add_error(qty_name, "Enter the quantity.")
            elif quantity and not sku:
                self.add_error(sku_name, "Choose the SKU.")
            elif sku and sku.pk in seen:
                self.add_error(sku_name, f"{sku.code} is listed already: put the total on one line.")
            elif sku:
                seen.add(sku.pk)
                self.components.append((sku, quantity))
                self.component_lines.append(n)
        if self.errors:
            return data
        if self.combo and not self.components:
            raise forms.ValidationError("A combo holds at least one sub-SKU: choose them below.")
        if not self.combo and self.components:
            raise forms.ValidationError("Only a combo holds sub-SKUs: tick Combo, or clear the sub-SKU lines.")
        return data

    def refusal_field(self, refused: Refused) -> str | None:
        """The sub-SKU row a service refusal names (its `line` counts the filled rows)."""
        line = refused.figures.get("line")
        if line is None or line >= len(self.component_lines):
            return None
        return f"part_{self.component_lines[line]}_{'qty' if refused.figures.get('field') == 'quantity' else 'sku'}"

    def sku_input(self) -> SKUInput:
        data = self.cleaned_data
        return SKUInput(
            code=data["code"],
            name=data["name"],
            wholesale_price=data["wholesale_price"],
            is_active=data["is_active"],
            tier_prices={tier: data.get(f"tier_{tier.pk}") for tier in self.tiers},
            components=self.components,
        )


class TierForm(StyledForm, forms.Form):
    name = forms.CharField(max_length=60, label="Tier name")

    REFUSAL_FIELDS = {"duplicate_name": "name"}

    def __init__(self, *args, tenant, tier: CustomerTier | None = None, **kwargs):
        if tier is not None:
            kwargs.setdefault("initial", {"name": tier.name})
        super().__init__(*args, **kwargs)
        self.tenant, self.tier = tenant, tier

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        taken = CustomerTier.objects.for_tenant(self.tenant).filter(name__iexact=name)
        if self.tier is not None:
            taken = taken.exclude(pk=self.tier.pk)
        if taken.exists():
            raise forms.ValidationError(f"There is already a customer tier {name}.")
        return name


class WarehouseForm(StyledForm, forms.Form):
    name = forms.CharField(max_length=120, label="Warehouse name")
    code = forms.CharField(max_length=20, label="Warehouse code")
    kind = forms.ChoiceField(label="Type")
    is_active = forms.BooleanField(required=False, initial=True, label="Active")
    is_default_return = forms.BooleanField(
        required=False,
        label="Default return warehouse",
        help_text="Proposed first when a returned parcel is stocked in. Only one warehouse is the default.",
    )

    REFUSAL_FIELDS = {
        "duplicate_code": "code",
        "kind_not_allowed": "kind",
        "default_return_not_allowed": "is_default_return",
    }

    def __init__(self, *args, tenant, warehouse: Warehouse | None = None, **kwargs):
        if warehouse is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": warehouse.name,
                    "code": warehouse.code,
                    "kind": warehouse.kind,
                    "is_active": warehouse.is_active,
                    "is_default_return": warehouse.is_default_return,
                },
            )
        super().__init__(*args, **kwargs)
        self.tenant, self.warehouse = tenant, warehouse
        kinds = list(SELLER_KINDS)
        if warehouse is not None and warehouse.kind not in kinds:  # a supplier's warehouse keeps its type
            kinds.append(WarehouseKind(warehouse.kind))
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in kinds]

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        taken = Warehouse.objects.for_tenant(self.tenant).filter(code__iexact=code)
        if self.warehouse is not None:
            taken = taken.exclude(pk=self.warehouse.pk)
        if taken.exists():
            raise forms.ValidationError(f"There is already a warehouse {code}.")
        return code

    def clean(self) -> dict:
        data = super().clean()
        if data.get("is_default_return"):
            if not data.get("is_active"):
                self.add_error("is_default_return", "An inactive warehouse cannot be the default return warehouse.")
            elif data.get("kind") and data["kind"] not in SELLER_KINDS:
                self.add_error("is_default_return", "Returns go to your own or third-party warehouses only.")
        return data

    def warehouse_input(self) -> WarehouseInput:
        data = self.cleaned_data
        return WarehouseInput(
            name=data["name"],
            code=data["code"],
            kind=data["kind"],
            is_active=data["is_active"],
            is_default_return=data["is_default_return"],
        )
