from django.contrib.auth import views as auth_views
from django.urls import path

from . import otp_views, views
from .login import LoginView

app_name = "accounts"
urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("profile/", views.profile, name="profile"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke_view, name="token_revoke"),
    path("2fa/setup/", otp_views.setup, name="otp_setup"),
    path("2fa/verify/", otp_views.verify, name="otp_verify"),
]
