"""What the channel layer tells the apps above it (channels imports nothing of theirs).

`orders_changed`: the platform says these orders changed (a webhook, a sent action); the orders app
re-fetches them by id. sender = the Store; kwargs: numbers (the platform's order ids), source.
`sync_requested`: a seller clicked Sync now on a store; sender = the Store.
Receivers queue work on commit; they never call the platform inside the sender's transaction.
"""

from django.dispatch import Signal

orders_changed = Signal()
sync_requested = Signal()
