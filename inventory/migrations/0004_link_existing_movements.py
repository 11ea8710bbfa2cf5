"""Once: point each existing movement at the case or order its `source_key` names
(`case:<id>:...`, `order:<id>:...`), so nothing needs to parse the key again."""

from collections import defaultdict

from django.db import migrations
from django.db.models import Q


def link_movements(apps, schema_editor):
    db = schema_editor.connection.alias
    Movement = apps.get_model("inventory", "StockMovement")
    documents = {"case": apps.get_model("aftersales", "Case"), "order": apps.get_model("orders", "Order")}
    found = {kind: defaultdict(list) for kind in documents}  # kind -> (tenant id, document id) -> movement ids
    keyed = Movement.objects.using(db).filter(Q(source_key__startswith="case:") | Q(source_key__startswith="order:"))
    for pk, tenant_id, key in keyed.values_list("pk", "tenant_id", "source_key"):
        kind, document_id = key.split(":")[:2]
        if document_id.isdigit():
            found[kind][(tenant_id, int(document_id))].append(pk)
    for kind, model in documents.items():
        ids = {document_id for _, document_id in found[kind]}
        existing = set(model.objects.using(db).filter(pk__in=ids).values_list("tenant_id", "pk"))
        for (tenant_id, document_id), movement_ids in found[kind].items():
            if (tenant_id, document_id) in existing:  # same tenant, still there: never link across tenants
                Movement.objects.using(db).filter(pk__in=movement_ids).update(**{f"{kind}_id": document_id})


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0003_movement_case_and_order"),
    ]

    operations = [
        migrations.RunPython(link_movements, migrations.RunPython.noop),
    ]
