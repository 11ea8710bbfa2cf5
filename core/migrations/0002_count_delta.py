"""The kept tab counts' ledger (core/counts.py), started exact: one row per (tenant, list, store,
status) from a fresh GROUP BY of each counted table."""

import django.db.models.deletion
from django.db import migrations, models

from core.counts import fill

COUNTED = [  # (app, model, its store), as core/counts.Counted declares them
    ("aftersales", "Case", "store"),
    ("orders", "Order", "store"),
    ("orders", "CancelRequest", "order__store"),
    ("refunds", "RefundOrder", "store"),
]


def fill_counts(apps, schema_editor):
    deltas = apps.get_model("core", "CountDelta")
    for app, name, store in COUNTED:
        fill(apps.get_model(app, name), store, deltas=deltas, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_user_time_zone"),
        ("core", "0001_number_sequence"),
        ("sales_channels", "0002_outboundaction"),
        ("aftersales", "0004_case_over_refund_note"),
        ("orders", "0002_order_and_cancel_request_state_machines"),
        ("refunds", "0004_refundorder_store_required"),
    ]

    operations = [
        migrations.CreateModel(
            name="CountDelta",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("list", models.CharField(max_length=40)),
                ("status", models.CharField(max_length=20)),
                ("delta", models.BigIntegerField()),
                (
                    "store",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="sales_channels.store",
                    ),
                ),
                (
                    "tenant",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="accounts.tenant"
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["tenant", "list", "store", "status"], name="count_delta_key_idx")],
            },
        ),
        migrations.RunPython(fill_counts, migrations.RunPython.noop),
    ]
