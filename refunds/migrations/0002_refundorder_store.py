import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("refunds", "0001_initial"),
        ("sales_channels", "0002_outboundaction"),
    ]

    operations = [
        migrations.AddField(
            model_name="refundorder",
            name="store",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="refund_orders",
                to="sales_channels.store",
            ),
        ),
    ]
