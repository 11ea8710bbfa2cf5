from django.db import migrations, models


class Migration(migrations.Migration):
    """The refund list's tabs and All read off indexes in their order (keyset pages, core/paging.py):
    the tab index gains the id, the list's tie-breaker."""

    dependencies = [("refunds", "0004_refundorder_store_required")]

    operations = [
        migrations.RemoveIndex(model_name="refundorder", name="refund_tab_idx"),
        migrations.AddIndex(
            model_name="refundorder",
            index=models.Index(fields=["tenant", "status", "-created_at", "-id"], name="refund_tab_idx"),
        ),
        migrations.AddIndex(
            model_name="refundorder",
            index=models.Index(fields=["tenant", "-created_at", "-id"], name="refund_all_idx"),
        ),
    ]
