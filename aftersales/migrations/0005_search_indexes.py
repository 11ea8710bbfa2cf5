from django.db import migrations, models


class Migration(migrations.Migration):
    """Stock-In / Return's waiting list read straight off an index, in its order: a partial index on
    the two waiting states, not the tenant's every case filtered off `created_at`."""

    dependencies = [("aftersales", "0004_case_over_refund_note")]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("status__in", ["confirm_return", "confirm_exchange"])),
                fields=["tenant", "-created_at", "-id"],
                name="case_waiting_idx",
            ),
        ),
    ]
