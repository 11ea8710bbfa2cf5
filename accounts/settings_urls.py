from django.urls import path

from accounts import views

app_name = "settings"
urlpatterns = [
    path("sub-accounts/", views.subaccount_list, name="subaccount-list"),
    path("sub-accounts/new/", views.subaccount_create, name="subaccount-create"),
    path("sub-accounts/<int:user_id>/", views.subaccount_edit, name="subaccount-edit"),
    path("sub-accounts/<int:user_id>/toggle/", views.subaccount_toggle, name="subaccount-toggle"),
    path("roles/", views.role_list, name="role-list"),
    path("roles/new/", views.role_create, name="role-create"),
    path("roles/<int:role_id>/", views.role_edit, name="role-edit"),
    path("roles/<int:role_id>/delete/", views.role_delete, name="role-delete"),
    path("history/", views.history, name="history"),
]
