from guardian.shortcuts import assign_perm

from channels.models import Channel, Store
from channels.permissions import ACCESS_STORE
from core.demo import Demo

STORES = [  # tenant attr, name, channel, site, currency, shop id
    ("seller", "Shopee MY - Demo Official", Channel.SHOPEE, "MY", "MYR", "220001"),
    ("seller", "Lazada MY - Demo Store", Channel.LAZADA, "MY", "MYR", "100200300"),
    ("seller", "TikTok Shop ID - Demo", Channel.TIKTOK, "ID", "IDR", "7495000001"),
    ("seller", "Shopify - demo-seller", Channel.SHOPIFY, "", "USD", "demo-seller.myshopify.com"),
    ("seller", "WooCommerce - demoseller.my", Channel.WOOCOMMERCE, "MY", "MYR", "demoseller.my"),
    ("seller", "Offline", Channel.OFFLINE, "MY", "MYR", ""),
    ("supplier", "Supplier Shopee MY", Channel.SHOPEE, "MY", "MYR", "330001"),
]


def seed_stores(demo: Demo) -> None:
    for tenant_attr, name, channel, site, currency, shop_id in STORES:
        store, _ = Store.objects.get_or_create(
            tenant=getattr(demo, tenant_attr),
            name=name,
            defaults={"channel": channel, "site": site, "currency": currency, "external_id": shop_id},
        )
        demo.stores[name] = store
    for name in ["Shopee MY - Demo Official", "Lazada MY - Demo Store"]:  # the order desk works two stores
        assign_perm(ACCESS_STORE, demo.users["orderdesk"], demo.stores[name])
