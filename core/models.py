from django.db import models


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class NumberSequence(models.Model):
    """The last number given for one tenant, prefix and month (`AS`, `2611` -> 123). Only
    `core.numbering.next_number` writes it, in the transaction that uses the number."""

    tenant = models.ForeignKey("accounts.Tenant", on_delete=models.CASCADE, related_name="+")
    prefix = models.CharField(max_length=8)
    period = models.CharField(max_length=4)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "prefix", "period"], name="number_sequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.period}: {self.last}"


class CountDelta(models.Model):
    """One change to a kept tab count: +1 or -1 rows of a list (`list`, a model label such as
    `aftersales.case`) in one tenant, store and status, or one key's total once compacted. Only
    `core.counts` writes it, in the transaction that moves the row; see there why a ledger."""

    tenant = models.ForeignKey("accounts.Tenant", on_delete=models.CASCADE, related_name="+")
    list = models.CharField(max_length=40)
    store = models.ForeignKey("sales_channels.Store", on_delete=models.CASCADE, related_name="+", db_index=False)
    status = models.CharField(max_length=20)
    delta = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["tenant", "list", "store", "status"], name="count_delta_key_idx")]

    def __str__(self) -> str:
        return f"{self.list} {self.store_id} {self.status}: {self.delta:+d}"
