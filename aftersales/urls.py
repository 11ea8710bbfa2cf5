from django.urls import path

from aftersales import views

app_name = "aftersales"
urlpatterns = [
    path("", views.case_list, name="index"),
    path("new/", views.case_create, name="create"),
    path("bulk-confirm/", views.case_bulk_confirm, name="bulk-confirm"),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/confirm/", views.case_confirm, name="confirm"),
    path("<int:case_id>/confirm-stock-in/", views.case_confirm_stock_in, name="confirm-stock-in"),
    path("<int:case_id>/exchange-order/", views.case_exchange_order, name="exchange-order"),
    path("<int:case_id>/complete/", views.case_complete, name="complete"),
    path("<int:case_id>/cancel/", views.case_cancel, name="cancel"),
    path("<int:case_id>/edit/", views.case_edit, name="edit"),
    path("<int:case_id>/evidence/", views.attachment_add, name="attachment-add"),
    path("evidence/<int:attachment_id>/", views.attachment, name="attachment"),
]
