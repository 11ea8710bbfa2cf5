from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from core.admin import LargeTableAdmin, ReadOnlyAdmin
from inventory.models import (
    SKU,
    CatalogueChange,
    ComboItem,
    CustomerTier,
    StockLevel,
    StockMovement,
    TierPrice,
    Warehouse,
)


@admin.register(Warehouse)
class WarehouseAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "tenant", "is_active", "is_default_return"]
    list_filter = ["kind", "is_active", "tenant"]
    search_fields = ["name", "code", "tenant__name"]
    list_select_related = ["tenant"]
    autocomplete_fields = ["tenant"]


class ComboItemFormSet(BaseInlineFormSet):
    """A combo holds only SKUs of its own tenant; the admin is not tenant-scoped, so check it here."""

    def clean(self):
        super().clean()
        for form in self.forms:
            component = form.cleaned_data.get("component") if hasattr(form, "cleaned_data") else None
            if component is not None and component.tenant_id != self.instance.tenant_id:
                raise ValidationError(f"{component.code} belongs to another tenant.")


class ComboItemInline(admin.TabularInline):
    model = ComboItem
    fk_name = "combo"
    formset = ComboItemFormSet
    fields = ["component", "quantity"]
    autocomplete_fields = ["component"]
    extra = 0


@admin.register(SKU)
class SKUAdmin(LargeTableAdmin):
    list_display = ["code", "name", "wholesale_price", "is_combo", "is_active", "tenant"]
    list_filter = ["is_combo", "is_active", "tenant"]
    search_fields = ["code", "name"]
    list_select_related = ["tenant"]
    sortable_by = None  # every column: a catalogue is thousands of SKUs, not millions
    autocomplete_fields = ["tenant"]
    inlines = [ComboItemInline]

    def get_search_results(self, request, queryset, search_term):
        # A part of the code or the name, as the combo items' autocomplete is typed: a catalogue is
        # thousands of SKUs, not millions, so Django's own search is quick enough here.
        return admin.ModelAdmin.get_search_results(self, request, queryset, search_term)

    def save_formset(self, request, form, formset, change):
        # The inline hides `tenant`: a combo's items take the combo's tenant.
        if formset.model is ComboItem:
            for item in formset.save(commit=False):
                item.tenant_id = form.instance.tenant_id
                item.save()
            for item in formset.deleted_objects:
                item.delete()
            formset.save_m2m()
        else:
            super().save_formset(request, form, formset, change)


@admin.register(CustomerTier)
class CustomerTierAdmin(admin.ModelAdmin):
    list_display = ["name", "tenant"]
    list_filter = ["tenant"]
    search_fields = ["name", "tenant__name"]
    list_select_related = ["tenant"]
    autocomplete_fields = ["tenant"]


@admin.register(TierPrice)
class TierPriceAdmin(LargeTableAdmin):
    list_display = ["sku", "tier", "price", "tenant"]
    list_filter = ["tenant"]  # not `tier`: the filter would list every tier of every tenant
    search_fields = ["sku__code"]
    search_help_text = "A SKU code, in full."
    list_select_related = ["sku", "tier", "tenant"]
    autocomplete_fields = ["sku", "tier", "tenant"]


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdmin, LargeTableAdmin):
    list_display = ["created_at", "sku", "warehouse", "condition", "quantity", "reason", "source", "actor", "tenant"]
    list_filter = ["reason", "condition", "tenant"]
    search_fields = ["sku__code", "case__number", "order__number"]
    search_help_text = "A SKU code, a case number or an order number, in full."
    list_select_related = ["sku", "warehouse", "actor", "tenant"]


@admin.register(StockLevel)
class StockLevelAdmin(ReadOnlyAdmin, LargeTableAdmin):
    list_display = ["sku", "warehouse", "condition", "on_hand", "tenant"]
    list_filter = ["condition", "tenant"]
    search_fields = ["sku__code"]
    search_help_text = "A SKU code, in full."
    list_select_related = ["sku", "warehouse", "tenant"]


@admin.register(CatalogueChange)
class CatalogueChangeAdmin(ReadOnlyAdmin, LargeTableAdmin):
    """Catalogue history, as the services recorded it (Settings shows it on each item's page)."""

    list_display = ["created_at", "tenant", "sku", "tier", "warehouse", "actor", "created"]
    list_filter = ["tenant"]
    list_select_related = ["tenant", "sku", "tier", "warehouse", "actor"]
