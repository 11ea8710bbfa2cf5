"""Every Shopee API route of the sandbox."""

from sandbox.shopee import auth, orders, shop

ROUTES = [*auth.ROUTES, *orders.ROUTES, *shop.ROUTES]
