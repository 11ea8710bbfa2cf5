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
            # no index nor constraint while 0003 fills it: each would cost every row updated (an index
            # entry, a deferred foreign-key check); 0004 adds both, each in one pass
            field=models.ForeignKey(
                null=True,
                db_index=False,
                db_constraint=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="refund_orders",
                to="sales_channels.store",
            ),
        ),
    ]
