import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("refunds", "0003_fill_refundorder_store"),
    ]

    operations = [
        migrations.AlterField(
            model_name="refundorder",
            name="store",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="refund_orders",
                to="sales_channels.store",
            ),
        ),
    ]
