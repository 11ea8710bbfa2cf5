"""The stores' own permission, granted per store (guardian) to the sub-accounts that work with it."""

ACCESS_STORE = "sales_channels.access_store"
