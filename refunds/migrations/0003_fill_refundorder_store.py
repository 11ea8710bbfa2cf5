"""Once: each refund order's store is its case's, in one UPDATE (a subquery per row on the case's
primary key), not a loop."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill_store(apps, schema_editor):
    db = schema_editor.connection.alias
    RefundOrder = apps.get_model("refunds", "RefundOrder")
    Case = apps.get_model("aftersales", "Case")
    case_store = Case.objects.using(db).filter(pk=OuterRef("case_id")).values("store_id")[:1]
    RefundOrder.objects.using(db).filter(store__isnull=True).update(store_id=Subquery(case_store))


class Migration(migrations.Migration):
    dependencies = [
        ("refunds", "0002_refundorder_store"),
        ("aftersales", "0004_case_over_refund_note"),
    ]

    operations = [
        migrations.RunPython(fill_store, migrations.RunPython.noop),
    ]
