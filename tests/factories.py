from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import Role, Tenant, User
from channels.models import Channel, Store
from inventory.models import SKU, ComboItem, CustomerTier, TierPrice, Warehouse
from orders.models import Buyer, CancelRequest, Order, OrderItem, OrderStatus

PASSWORD = "s3cret-pass-123"


class TenantFactory(DjangoModelFactory):
    class Meta:
        model = Tenant
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Tenant {n}")


class RoleFactory(DjangoModelFactory):
    class Meta:
        model = Role

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Sequence(lambda n: f"Role {n}")
    perms = factory.List([])


class UserFactory(DjangoModelFactory):
    """A sub-account by default; `owner=True` for the main account; `perms=[...]` gives it a role
    with those product permissions."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        owner = factory.Trait(is_owner=True)

    tenant = factory.SubFactory(TenantFactory)
    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def perms(self, create, extracted, **kwargs):
        if extracted is not None:
            self.role = RoleFactory(tenant=self.tenant, perms=list(extracted))
            if create:
                self.save(update_fields=["role"])


class StoreFactory(DjangoModelFactory):
    class Meta:
        model = Store

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Sequence(lambda n: f"Store {n}")
    channel = Channel.SHOPEE
    site = "MY"
    currency = "MYR"


class WarehouseFactory(DjangoModelFactory):
    class Meta:
        model = Warehouse

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Sequence(lambda n: f"Warehouse {n}")
    code = factory.Sequence(lambda n: f"WH{n}")


class SKUFactory(DjangoModelFactory):
    class Meta:
        model = SKU

    tenant = factory.SubFactory(TenantFactory)
    code = factory.Sequence(lambda n: f"SKU-{n:04d}")
    name = factory.LazyAttribute(lambda s: f"Product {s.code}")
    wholesale_price = Decimal("10.00")


class ComboItemFactory(DjangoModelFactory):
    class Meta:
        model = ComboItem

    combo = factory.SubFactory(SKUFactory, is_combo=True)
    tenant = factory.SelfAttribute("combo.tenant")
    component = factory.SubFactory(SKUFactory, tenant=factory.SelfAttribute("..tenant"))
    quantity = 2


class CustomerTierFactory(DjangoModelFactory):
    class Meta:
        model = CustomerTier

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Sequence(lambda n: f"Tier {n}")


class TierPriceFactory(DjangoModelFactory):
    class Meta:
        model = TierPrice

    tier = factory.SubFactory(CustomerTierFactory)
    tenant = factory.SelfAttribute("tier.tenant")
    sku = factory.SubFactory(SKUFactory, tenant=factory.SelfAttribute("..tenant"))
    price = Decimal("8.00")


class BuyerFactory(DjangoModelFactory):
    class Meta:
        model = Buyer

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Sequence(lambda n: f"Buyer {n}")


class OrderFactory(DjangoModelFactory):
    """An order of a store; children (store, buyer, warehouse) share the order's tenant."""

    class Meta:
        model = Order

    tenant = factory.SubFactory(TenantFactory)
    store = factory.SubFactory(StoreFactory, tenant=factory.SelfAttribute("..tenant"))
    buyer = factory.SubFactory(BuyerFactory, tenant=factory.SelfAttribute("..tenant"))
    warehouse = factory.SubFactory(WarehouseFactory, tenant=factory.SelfAttribute("..tenant"))
    number = factory.Sequence(lambda n: f"ORD{n:08d}")
    status = OrderStatus.NEW
    platform_status = "To Process"
    currency = factory.SelfAttribute("store.currency")
    paid_amount = Decimal("0.00")
    ordered_at = factory.LazyFunction(timezone.now)


class OrderItemFactory(DjangoModelFactory):
    class Meta:
        model = OrderItem

    order = factory.SubFactory(OrderFactory)
    tenant = factory.SelfAttribute("order.tenant")
    sku = factory.SubFactory(SKUFactory, tenant=factory.SelfAttribute("..tenant"))
    quantity = 1
    unit_price = Decimal("25.00")


class CancelRequestFactory(DjangoModelFactory):
    class Meta:
        model = CancelRequest

    order = factory.SubFactory(OrderFactory)
    tenant = factory.SelfAttribute("order.tenant")
    reason = "Change of mind"


def shipped_order(*, tenant=None, lines=((Decimal("25.00"), 2),), **order_fields) -> Order:
    """A shipped order with one line per (unit price, quantity), each of its own SKU."""
    order = OrderFactory(status=OrderStatus.SHIPPED, **({"tenant": tenant} if tenant else {}), **order_fields)
    for price, quantity in lines:
        OrderItemFactory(order=order, unit_price=price, quantity=quantity)
    order.paid_amount = sum(price * quantity for price, quantity in lines)
    order.save(update_fields=["paid_amount"])
    return order


def make_case(*, type="return_refund", order=None, actor=None, exchange=(), **case_fields):
    """A manual case through the real service: every line of `order` (a new shipped order by
    default) returned in full; `exchange` is a list of (sku, quantity) exchange lines."""
    from aftersales.services import LineInput, case_create

    order = order or shipped_order()
    actor = actor or UserFactory(tenant=order.tenant, owner=True)
    returned = [LineInput(sku=item.sku, quantity=item.quantity, order_item=item) for item in order.items.all()]
    return case_create(
        tenant=order.tenant,
        actor=actor,
        order=order,
        type=type,
        returned=returned,
        exchange=[LineInput(sku=sku, quantity=quantity) for sku, quantity in exchange],
        **case_fields,
    )


def make_refund(*, case=None, amount=None, method="bank_transfer"):
    """A refund order in Refund Processing on a received Return & Refund case."""
    from aftersales.services import case_confirm_and_stock_in
    from refunds.services import refund_create

    case = case or make_case()
    actor = case.created_by
    if case.status == "to_confirm":
        case_confirm_and_stock_in(case=case, actor=actor, warehouse=WarehouseFactory(tenant=case.tenant))
        case.refresh_from_db()
    return refund_create(case=case, actor=actor, amount=amount or case.refund_left(), method=method)


PNG_1PX = (  # one red pixel, a PNG whose checksums hold (uploads verify pictures)
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF_MINIMAL = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def make_attachment(*, case, name="parcel.png", content=PNG_1PX, content_type="image/png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from aftersales.services import attachment_add

    upload = SimpleUploadedFile(name, content, content_type=content_type)
    return attachment_add(case=case, actor=case.created_by, upload=upload, content_type=content_type)


def png_bomb(side: int = 20000) -> bytes:
    """A `side` x `side` black PNG, one bit a pixel: some 50 kB that unpack to 400 megapixels."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)  # 1-bit greyscale
    packer, row = zlib.compressobj(9), b"\0" * (1 + (side + 7) // 8)
    data = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
