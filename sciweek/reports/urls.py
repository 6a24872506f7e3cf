from django.urls import path

from .views import attachments, entry, forms_admin, review, suggest

app_name = "reports"
urlpatterns = [
    # A unit fills its table (entry), the bureau reviews it (review), the organizer edits the form.
    path("reports/<int:campaign_id>/mine/", entry.mine, name="mine"),
    path("reports/<int:report_id>/", review.report_page, name="report"),
    path("reports/<int:report_id>/cell/<slug:code>/", entry.cell_save, name="cell"),
    path("reports/<int:report_id>/save/", entry.save_all, name="save"),
    path("reports/<int:report_id>/adopt/<slug:code>/", suggest.adopt, name="adopt"),
    path("reports/<int:report_id>/submit/", entry.submit, name="submit"),
    path("reports/<int:report_id>/head/", entry.head_decide, name="head"),
    path("reports/<int:report_id>/upload/<slug:kind>/", attachments.upload, name="upload"),
    path("reports/<int:report_id>/link/", attachments.add_link, name="add_link"),
    path("reports/attachments/<int:attachment_id>/", attachments.download, name="attachment"),
    path("reports/attachments/<int:attachment_id>/thumb/", attachments.thumbnail, name="thumbnail"),
    path("reports/attachments/<int:attachment_id>/delete/", attachments.delete, name="attachment_delete"),
    path("reports/<int:campaign_id>/review/", review.queue, name="review_queue"),
    path("reports/<int:campaign_id>/review/exceptions/", review.grant_exception, name="grant_exception"),
    path("reports/<int:report_id>/act/<slug:action>/", review.act, name="act"),
    path("reports/<int:report_id>/compare/", review.compare, name="compare"),
    path("reports/<int:campaign_id>/form/", forms_admin.form_edit, name="form_edit"),
    path("reports/<int:campaign_id>/form/rows/new/", forms_admin.row_edit, name="row_new"),
    path("reports/<int:campaign_id>/form/rows/<slug:code>/", forms_admin.row_edit, name="row_edit"),
    path(
        "reports/<int:campaign_id>/form/rows/<slug:code>/<slug:action>/",
        forms_admin.row_action,
        name="row_action",
    ),
    path("reports/<int:campaign_id>/form/rules/new/", forms_admin.rule_add, name="rule_add"),
    path(
        "reports/<int:campaign_id>/form/rules/<int:rule_id>/delete/",
        forms_admin.rule_delete,
        name="rule_delete",
    ),
]

# Dashboard, roll-up over the tree, export / import (the bureau's side of the statistics).
from .views import dashboard, exchange  # noqa: E402

urlpatterns += [
    path("reports/<int:campaign_id>/dashboard/", dashboard.campaign_dashboard, name="dashboard"),
    path("reports/<int:campaign_id>/rollup/", dashboard.rollup_view, name="rollup"),
    path("reports/<int:campaign_id>/exchange/", exchange.exchange, name="exchange"),
    path("reports/<int:campaign_id>/exchange/export/", exchange.export_start, name="export_start"),
    path("reports/<int:campaign_id>/exchange/blank.xlsx", exchange.blank_download, name="blank_download"),
    path("reports/<int:campaign_id>/exchange/unit/", exchange.unit_pick, name="unit_pick"),
    path(
        "reports/<int:campaign_id>/exchange/units/<int:unit_id>.<str:fmt>",
        exchange.unit_download,
        name="unit_download",
    ),
    path("reports/<int:campaign_id>/exchange/jobs/<int:job_id>/", exchange.job_page, name="job"),
    path("reports/<int:campaign_id>/import/", exchange.import_upload, name="import_upload"),
    path("reports/<int:campaign_id>/import/<str:token>/", exchange.import_preview, name="import_preview"),
]
