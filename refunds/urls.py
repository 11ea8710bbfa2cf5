from django.urls import path

from refunds import views

app_name = "refunds"
urlpatterns = [
    path("", views.refund_list, name="index"),
    path("new/<int:case_id>/", views.refund_create, name="create"),
    path("<int:refund_id>/confirm/", views.refund_confirm, name="confirm"),
    path("<int:refund_id>/reject/", views.refund_reject, name="reject"),
    path("<int:refund_id>/proof/", views.refund_proof, name="proof"),
]
