from django.urls import path

from . import views

# The account pages under manage/units/ are accounts' (accounts/unit_urls.py); sciweek/urls.py
# mounts both lists under this one "orgs" namespace.
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
    # Import of units and staff from the xlsx template.
    path("import/", views.import_upload, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("import/preview/", views.import_preview, name="import_preview"),
    path("import/commit/", views.import_commit, name="import_commit"),
    path("import/cancel/", views.import_cancel, name="import_cancel"),
    path("import/jobs/<int:job_id>/", views.import_job, name="import_job"),
]
