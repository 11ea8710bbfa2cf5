"""What an order tells the apps above it (orders imports nothing of theirs): distribution makes the
distribution order and the supplier's stock-out of an order shipped from a supplier warehouse.

Sent inside the order service's transaction, after its own writes, with `send`: a receiver's writes
commit or roll back with the shipment. A receiver that may be refused keeps its refusal to itself
(in a savepoint), so the shipment stands. sender = Order; kwargs: order, actor.
"""

from django.dispatch import Signal

order_shipped = Signal()
