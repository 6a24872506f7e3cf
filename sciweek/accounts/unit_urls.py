"""Account pages that live under a unit (manage/units/...): mounted by sciweek/urls.py in the "orgs"
namespace beside the unit pages, so orgs need not import accounts."""

from django.urls import path

from . import batch_views, user_views

urlpatterns = [
    # Accounts attached to a unit.
    path("<int:unit_id>/users/new/", user_views.user_new, name="user_new"),
    path("<int:unit_id>/users/<int:user_id>/active/", user_views.user_active, name="user_active"),
    path("<int:unit_id>/users/<int:user_id>/password/", user_views.user_password_reset, name="user_password"),
    path("<int:unit_id>/users/<int:user_id>/grant/", user_views.membership_grant_view, name="user_grant"),
    path(
        "<int:unit_id>/memberships/<int:membership_id>/revoke/",
        user_views.membership_revoke_view,
        name="membership_revoke",
    ),
    # Bulk accounts for units and their login sheets.
    path("accounts/", batch_views.accounts_page, name="accounts"),
    path("accounts/batch/", batch_views.batch_page, name="accounts_batch"),
    path("accounts/batch/login-sheet.xlsx", batch_views.batch_sheet_xlsx, name="accounts_sheet_xlsx"),
    path("accounts/batch/login-sheet.pdf", batch_views.batch_sheet_pdf, name="accounts_sheet_pdf"),
    path("accounts/batch/clear/", batch_views.batch_clear, name="accounts_batch_clear"),
]
