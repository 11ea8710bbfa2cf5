from django.urls import path

from orders import views

app_name = "orders"
urlpatterns = [
    path("", views.order_list, name="index"),
    path("<int:order_id>/", views.order_detail, name="detail"),
    path("<int:order_id>/cancel/", views.order_cancel, name="cancel"),
    path("<int:order_id>/approve/", views.order_approve, name="approve"),
    path("<int:order_id>/retry/", views.order_retry, name="retry"),
    path("retry/", views.orders_retry, name="outbound-retry"),
    path("cancel-requests/", views.cancel_request_list, name="cancel-requests"),
    path("cancel-requests/<int:request_id>/answer/", views.cancel_request_answer, name="cancel-request-answer"),
    path("canceled/", views.canceled_list, name="canceled"),
    path("canceled/stock-in/", views.canceled_stock_in, name="canceled-stock-in"),
    path("entry/", views.entry_list, name="entry"),
    path("entry/new/", views.entry_create, name="entry-create"),
    path("entry/<int:order_id>/", views.entry_edit, name="entry-edit"),
]
