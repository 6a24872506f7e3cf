from django.urls import path

from sciweek.accounts import batch_views, user_views

from . import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<int:unit_id>/", views.unit_detail, name="unit"),
    path("<int:unit_id>/add/", views.unit_add, name="unit_add"),
    path("<int:unit_id>/edit/", views.unit_edit, name="unit_edit"),
    path("<int:unit_id>/move/", views.unit_move, name="unit_move"),
    path("<int:unit_id>/merge/", views.unit_merge, name="unit_merge"),
    path("<int:unit_id>/active/", views.unit_active, name="unit_active"),
    path("<int:unit_id>/staff/add/", views.staff_add, name="staff_add"),
    path("<int:unit_id>/staff/<int:staff_id>/edit/", views.staff_edit, name="staff_edit"),
    path("<int:unit_id>/staff/<int:staff_id>/delete/", views.staff_delete, name="staff_delete"),
    # Accounts attached to a unit (views in sciweek.accounts).
    path("<int:unit_id>/users/new/", user_views.user_new, name="user_new"),
    path("<int:unit_id>/users/<int:user_id>/active/", user_views.user_active, name="user_active"),
    path("<int:unit_id>/users/<int:user_id>/password/", user_views.user_password_reset, name="user_password"),
    path("<int:unit_id>/users/<int:user_id>/grant/", user_views.membership_grant_view, name="user_grant"),
    path(
        "<int:unit_id>/memberships/<int:membership_id>/revoke/",
        user_views.membership_revoke_view,
        name="membership_revoke",
    ),
    # Import of units and staff from the xlsx template.
    path("import/", views.import_upload, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("import/preview/", views.import_preview, name="import_preview"),
    path("import/commit/", views.import_commit, name="import_commit"),
    path("import/cancel/", views.import_cancel, name="import_cancel"),
    path("import/jobs/<int:job_id>/", views.import_job, name="import_job"),
    # Bulk accounts for units and their login sheets (views in sciweek.accounts).
    path("accounts/", batch_views.accounts_page, name="accounts"),
    path("accounts/batch/", batch_views.batch_page, name="accounts_batch"),
    path("accounts/batch/login-sheet.xlsx", batch_views.batch_sheet_xlsx, name="accounts_sheet_xlsx"),
    path("accounts/batch/login-sheet.pdf", batch_views.batch_sheet_pdf, name="accounts_sheet_pdf"),
    path("accounts/batch/clear/", batch_views.batch_clear, name="accounts_batch_clear"),
]
