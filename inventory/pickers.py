"""The SKU picker every form uses: a text field taking a SKU code, which static/js/sku_picker.js turns
into a search by code or name (name, price and stock shown) against `inventory:sku-search`. Without
JS it stays a plain field: the seller types the code. Either way the server resolves the code within
the form's queryset (the tenant's active SKUs), and says beside the field why another is refused."""

from urllib.parse import urlencode

from django import forms
from django.urls import reverse

from core.forms import refuse_control_characters
from inventory.models import SKU
from inventory.services import inactive_message


def sku_search_url(*, tier=None, currency: str = "", single: bool = False) -> str:
    """Where a picker searches: prices at the buyer's `tier` in `currency`, only single SKUs if `single`."""
    query = {"tier": tier.pk if tier else "", "currency": currency, "single": "1" if single else ""}
    query = {key: value for key, value in query.items() if value}
    return reverse("inventory:sku-search") + (f"?{urlencode(query)}" if query else "")


class SKUPicker(forms.TextInput):
    template_name = "inventory/widgets/sku_picker.html"

    class Media:
        js = ["js/sku_picker.js"]

    def __init__(self, attrs=None):
        typing = {"autocomplete": "off", "spellcheck": "false", "placeholder": "Type a SKU code or name"}
        typing["class"] = "form-control"  # styled also where a form adds its picker rows after StyledForm
        super().__init__({**typing, **(attrs or {})})


class SKUField(forms.ModelChoiceField):
    """A SKU among `queryset` (the picker's choices in `tenant`), named by its code (any case)."""

    widget = SKUPicker

    def __init__(self, queryset, *, tenant, search_url: str = "", **kwargs):
        kwargs.setdefault("label", "SKU")
        super().__init__(queryset, **kwargs)
        self.tenant = tenant
        self.widget.attrs["data-sku-search"] = search_url or sku_search_url()

    def prepare_value(self, value):
        if isinstance(value, SKU):
            return value.code
        if isinstance(value, int):  # an initial given as an id
            return self.queryset.filter(pk=value).values_list("code", flat=True).first() or ""
        return value

    def to_python(self, value):
        code = str(value or "").strip()
        if not code:
            return None
        refuse_control_characters(code)  # before the database sees it (PostgreSQL refuses NUL)
        found = self.queryset.filter(code__iexact=code).first()
        if found is not None:
            return found
        known = SKU.objects.for_tenant(self.tenant).filter(code__iexact=code).first()
        if known is not None and not known.is_active:
            message = inactive_message(known)
        elif known is not None and known.is_combo:
            message = f"{known.code} is a combo: choose a single SKU."
        elif known is not None:
            message = f"{known.code} cannot be chosen here."
        else:
            message = f"There is no SKU {code}: type its code, or its name and pick it from the list."
        raise forms.ValidationError(message, code="invalid_choice")
