from django.urls import path

from .views import dashboard, demands, importing, public, records, registry

app_name = "innovation"
urlpatterns = [
    path("innovation/", dashboard.dashboard, name="dashboard"),
    path("innovation/published/", public.published, name="published"),
    path("innovation/export.xlsx", dashboard.dashboard_export, name="export"),
    path("innovation/enterprises/", registry.enterprise_list, name="enterprises"),
    path("innovation/enterprises/new/", registry.enterprise_new, name="enterprise_new"),
    path("innovation/enterprises/import/", importing.import_upload, name="import"),
    path("innovation/enterprises/import/template.xlsx", importing.import_template, name="import_template"),
    path("innovation/enterprises/import/preview/", importing.import_preview, name="import_preview"),
    path("innovation/enterprises/import/commit/", importing.import_commit, name="import_commit"),
    path("innovation/enterprises/import/cancel/", importing.import_cancel, name="import_cancel"),
    path("innovation/enterprises/import/job/<int:job_id>/", importing.import_job, name="import_job"),
    path("innovation/enterprises/<int:enterprise_id>/", registry.enterprise_detail, name="enterprise"),
    path(
        "innovation/enterprises/<int:enterprise_id>/edit/", registry.enterprise_edit, name="enterprise_edit"
    ),
    path("innovation/experts/", registry.expert_list, name="experts"),
    path("innovation/experts/new/", registry.expert_new, name="expert_new"),
    path("innovation/experts/<int:expert_id>/edit/", registry.expert_edit, name="expert_edit"),
    path("innovation/demands/", demands.demand_list, name="demands"),
    path("innovation/demands/new/", demands.demand_new, name="demand_new"),
    path("innovation/demands/<int:demand_id>/", demands.demand_detail, name="demand"),
    path("innovation/demands/<int:demand_id>/edit/", demands.demand_edit, name="demand_edit"),
    path("innovation/demands/<int:demand_id>/status/", demands.demand_status, name="demand_status"),
    path("innovation/demands/<int:demand_id>/publish/", demands.demand_publish, name="demand_publish"),
    path("innovation/demands/<int:demand_id>/matches/", demands.demand_matches, name="matches"),
    path("innovation/demands/<int:demand_id>/matches/confirm/", demands.match_confirm, name="match_confirm"),
    path("innovation/visits/new/", records.visit_new, name="visit_new"),
    path("innovation/visits/<int:visit_id>/photos/", records.visit_photo, name="visit_photo"),
    path("innovation/visits/<int:visit_id>/edit/", records.visit_edit, name="visit_edit"),
    path("innovation/visits/<int:visit_id>/delete/", records.visit_delete, name="visit_delete"),
    path("innovation/photos/<int:photo_id>/<str:size>/", records.photo, name="photo"),
    path("innovation/logs/", records.log_list, name="logs"),
    path("innovation/logs/new/", records.log_new, name="log_new"),
    path("innovation/logs/<int:service_log_id>/edit/", records.log_edit, name="log_edit"),
    path("innovation/logs/<int:service_log_id>/delete/", records.log_delete, name="log_delete"),
    path("innovation/applications/new/", records.application_new, name="application_new"),
    path(
        "innovation/applications/<int:application_id>/edit/",
        records.application_edit,
        name="application_edit",
    ),
    path(
        "innovation/applications/<int:application_id>/delete/",
        records.application_delete,
        name="application_delete",
    ),
]
