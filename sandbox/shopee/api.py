"""Every Shopee API route of the sandbox."""

from sandbox.shopee import auth, orders

ROUTES = [*auth.ROUTES, *orders.ROUTES]
