from django.urls import path

from distribution import views

app_name = "distribution"
urlpatterns = [
    path("", views.push_list, name="index"),
    path("push/", views.push_selected, name="push-selected"),
    path("auto-push/", views.auto_push, name="auto-push"),
    path("<int:push_id>/", views.push_detail, name="push-detail"),
    path("<int:push_id>/push/", views.push_one, name="push"),
    path("<int:push_id>/confirm-refund/", views.push_confirm_refund, name="push-confirm-refund"),
]
