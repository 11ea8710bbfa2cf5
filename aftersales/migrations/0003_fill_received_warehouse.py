"""Once: the warehouse each case already received was stocked into, read from its stock-in
movements (the timeline kept only the warehouse's name)."""

from django.db import migrations


def fill_received_warehouse(apps, schema_editor):
    db = schema_editor.connection.alias
    Case = apps.get_model("aftersales", "Case")
    Movement = apps.get_model("inventory", "StockMovement")
    received = Movement.objects.using(db).filter(case__isnull=False).values_list("case_id", "warehouse_id").distinct()
    for case_id, warehouse_id in received:
        Case.objects.using(db).filter(pk=case_id, received_warehouse__isnull=True).update(
            received_warehouse_id=warehouse_id
        )


class Migration(migrations.Migration):
    dependencies = [
        ("aftersales", "0002_case_received_warehouse"),
        ("inventory", "0004_link_existing_movements"),
    ]

    operations = [
        migrations.RunPython(fill_received_warehouse, migrations.RunPython.noop),
    ]
