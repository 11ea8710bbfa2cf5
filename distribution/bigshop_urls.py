from django.urls import path

from distribution import bigshop_views as views

app_name = "bigshop"
urlpatterns = [
    path("", views.order_list, name="index"),
    path("confirm-return/", views.receive_selected, name="receive-selected"),
    path("returns/", views.return_list, name="returns"),
    path("returns/<int:return_id>/", views.return_detail, name="return"),
    path("returns/<int:return_id>/refund/", views.return_refund, name="return-refund"),
    path("returns/<int:return_id>/refund-proof/", views.return_refund_proof, name="return-refund-proof"),
    path("returns/<int:return_id>/complete/", views.return_complete, name="return-complete"),
    path("charges/", views.charge_setting, name="charges"),
]
