"""What a case tells the apps above it (aftersales imports nothing of theirs): distribution keeps a
return record for each case on a distribution order, and recalls what it pushed when the case is
cancelled.

Sent inside the case service's transaction, after its own writes, with `send` (not `send_robust`):
a receiver's writes commit or roll back with the case, and a receiver's error refuses the action.
Receivers take row locks after the case's, never before (the case is locked first on every path).
sender = Case; kwargs: case, actor.
"""

from django.dispatch import Signal

case_created = Signal()
case_cancelled = Signal()
