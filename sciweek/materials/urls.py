from django.urls import path

from . import media_views, review_views, views

app_name = "materials"
urlpatterns = [
    path("my/publicity/<int:campaign_id>/<int:unit_id>/", views.publicity_edit, name="publicity"),
    path("my/publicity/image/<int:image_id>/", views.publicity_image, name="image"),
    path("my/staff/<int:unit_id>/", views.staff_edit, name="staff"),
    path("manage/publicity/<int:campaign_id>/", review_views.review_list, name="review_list"),
    path("manage/publicity/item/<int:submission_id>/", review_views.review, name="review"),
    path("manage/publicity/item/<int:submission_id>/preview.png", review_views.preview, name="preview"),
    path("manage/publicity/item/<int:submission_id>/board.pdf", review_views.board_download, name="board"),
    path("manage/publicity/<int:campaign_id>/boards/", review_views.boards_job_start, name="boards_job"),
    path(
        "manage/publicity/<int:campaign_id>/boards/<int:job_id>/download/",
        review_views.boards_set_download,
        name="boards_set",
    ),
    path("my/media/<int:campaign_id>/", media_views.my_media, name="media_mine"),
    path("my/media/report/<int:media_report_id>/", media_views.edit_media, name="media_edit"),
    path("my/media/report/<int:media_report_id>/delete/", media_views.delete_media, name="media_delete"),
    path("manage/media/<int:campaign_id>/", media_views.manage_media, name="media_manage"),
    path(
        "manage/media/report/<int:media_report_id>/withdraw/",
        media_views.withdraw_media,
        name="media_withdraw",
    ),
    path(
        "manage/media/report/<int:media_report_id>/confirm/", media_views.confirm_media, name="media_confirm"
    ),
    path("media/c/<int:campaign_id>/", media_views.public_media, name="media_public"),
]
