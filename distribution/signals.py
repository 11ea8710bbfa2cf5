"""Distribution's own signal: the push service cannot import the task that calls it back."""

from django.dispatch import Signal

record_added = Signal()  # push: a record just added to To Push, in the adding transaction
