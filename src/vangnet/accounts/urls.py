from django.urls import path

from . import user_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("logout/", views.logout_view, name="logout"),
    path("security/", views.security, name="security"),
    # User management by functional administrators.
    path("users/", user_views.user_list, name="user_list"),
    path("users/new/", user_views.user_create, name="user_create"),
    path("users/<int:user_id>/", user_views.user_detail, name="user_detail"),
    path("users/<int:user_id>/edit/", user_views.user_edit, name="user_edit"),
    path("users/<int:user_id>/password/", user_views.user_password, name="user_password"),
    path("users/<int:user_id>/roles/", user_views.membership_add, name="membership_add"),
    path(
        "users/<int:user_id>/roles/<int:membership_id>/remove/",
        user_views.membership_remove,
        name="membership_remove",
    ),
    path(
        "users/<int:user_id>/role-requests/<int:grant_id>/approve/",
        user_views.role_grant_approve,
        name="role_grant_approve",
    ),
    path(
        "users/<int:user_id>/role-requests/<int:grant_id>/reject/",
        user_views.role_grant_reject,
        name="role_grant_reject",
    ),
    path("users/<int:user_id>/deactivate/", user_views.user_deactivate, name="user_deactivate"),
    path("users/<int:user_id>/reactivate/", user_views.user_reactivate, name="user_reactivate"),
    path(
        "users/<int:user_id>/reset-two-factor/",
        user_views.user_reset_two_factor,
        name="user_reset_two_factor",
    ),
    path("users/<int:user_id>/unlock/", user_views.user_unlock, name="user_unlock"),
]
