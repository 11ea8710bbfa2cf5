from orders.models import Order, OrderEvent


def order_event(*, order: Order, type: OrderEvent.Type, actor=None, **data) -> OrderEvent:
    return OrderEvent.objects.create(tenant_id=order.tenant_id, order=order, type=type, actor=actor, data=data)
