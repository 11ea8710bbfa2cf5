from django.urls import path

from distribution import money_views, partnership_views, views

app_name = "distribution"
urlpatterns = [
    path("", views.push_list, name="index"),
    path("push/", views.push_selected, name="push-selected"),
    path("auto-push/", views.auto_push, name="auto-push"),
    path("partnerships/", partnership_views.partnership_list, name="partnerships"),
    path("partnerships/invite/", partnership_views.partnership_invite, name="partnership-invite"),
    path("partnerships/<int:partnership_id>/", partnership_views.partnership_detail, name="partnership"),
    path("partnerships/<int:partnership_id>/accept/", partnership_views.partnership_accept, name="partnership-accept"),
    path(
        "partnerships/<int:partnership_id>/terminate/",
        partnership_views.partnership_terminate,
        name="partnership-terminate",
    ),
    path(
        "partnerships/<int:partnership_id>/warehouses/",
        partnership_views.partner_warehouse_add,
        name="partnership-warehouse",
    ),
    path("partnerships/<int:partnership_id>/skus/", partnership_views.sku_map, name="partnership-sku"),
    path("orders/<int:order_id>/make/", views.order_make, name="order-make"),
    path("<int:push_id>/", views.push_detail, name="push-detail"),
    path("<int:push_id>/push/", views.push_one, name="push"),
    path("<int:push_id>/confirm-refund/", views.push_confirm_refund, name="push-confirm-refund"),
    path("<int:push_id>/refund-proof/", money_views.push_refund_proof, name="push-refund-proof"),
    path(
        "orders/<int:distribution_order_id>/pay-with-balance/",
        money_views.order_pay_with_balance,
        name="order-pay-with-balance",
    ),
]
