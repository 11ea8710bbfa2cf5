from django.db import migrations, models


class Migration(migrations.Migration):
    """The All tab of the case list read off an index in its order (keyset pages, core/paging.py);
    each status tab has case_tab_idx, the Stock-In waiting list case_waiting_idx."""

    dependencies = [("aftersales", "0005_search_indexes")]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["tenant", "-created_at", "-id"], name="case_all_idx"),
        ),
    ]
