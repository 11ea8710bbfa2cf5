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
