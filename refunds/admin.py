from django.contrib import admin

from core.admin import LargeTableAdmin, ReadOnlyAdmin
from refunds.models import RefundOrder


@admin.register(RefundOrder)
class RefundOrderAdmin(ReadOnlyAdmin, LargeTableAdmin):
    """View only: a refund's state and money change through `refunds.services` (which lock the case
    and write its timeline), never by hand; the proof is served by the tenant-scoped proof view."""

    list_display = ["number", "case", "amount", "currency", "method", "status", "created_by", "created_at", "tenant"]
    list_filter = ["status", "method", "tenant"]
    search_fields = ["number", "case__number", "case__order__number"]
    search_help_text = "A refund, case or order number, in full."
    list_select_related = ["case", "created_by", "tenant"]
    sortable_by = ["created_at"]  # its own index
    readonly_fields = ["status", "proof_file"]
    exclude = ["proof"]  # its widget links to MEDIA_URL, which is not served to anyone

    @admin.display(description="payment proof")
    def proof_file(self, obj: RefundOrder) -> str:
        return obj.proof.name or "—"
