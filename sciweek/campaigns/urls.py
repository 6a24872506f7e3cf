from django.urls import path

from .views import manage, matrix, unit

app_name = "campaigns"
urlpatterns = [
    path("my/", unit.my_unit, name="my_unit"),
    path("my/<int:unit_id>/", unit.my_unit, name="my_unit_for"),
    path("manage/", manage.manage_home, name="manage_home"),
    path("manage/campaigns/new/", manage.campaign_new, name="campaign_new"),
    path("manage/campaigns/<int:campaign_id>/", manage.campaign_dashboard, name="dashboard"),
    path("manage/campaigns/<int:campaign_id>/remind/", matrix.remind, name="remind"),
    path("manage/campaigns/<int:campaign_id>/not-done.xlsx", matrix.not_done_xlsx, name="not_done_xlsx"),
    path("manage/campaigns/<int:campaign_id>/not-done/", matrix.not_done_print, name="not_done_print"),
    path("manage/campaigns/<int:campaign_id>/edit/", manage.campaign_edit, name="campaign_edit"),
    path("manage/campaigns/<int:campaign_id>/status/", manage.campaign_status, name="campaign_status"),
    path("manage/campaigns/<int:campaign_id>/activities/new/", manage.activity_edit, name="activity_new"),
    path(
        "manage/campaigns/<int:campaign_id>/activities/<int:activity_id>/",
        manage.activity_edit,
        name="activity_edit",
    ),
    path(
        "manage/campaigns/<int:campaign_id>/activities/<int:activity_id>/view/",
        manage.activity_detail,
        name="activity_detail",
    ),
    path(
        "manage/campaigns/<int:campaign_id>/requirements/new/",
        manage.requirement_edit,
        name="requirement_new",
    ),
    path(
        "manage/campaigns/<int:campaign_id>/requirements/<int:requirement_id>/",
        manage.requirement_edit,
        name="requirement_edit",
    ),
    path(
        "manage/campaigns/<int:campaign_id>/requirements/<int:requirement_id>/delete/",
        manage.requirement_remove,
        name="requirement_delete",
    ),
]
