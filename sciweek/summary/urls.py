from django.urls import path

from . import views

app_name = "summary"

urlpatterns = [
    path("summary/campaign/<int:campaign_id>/", views.edit, name="edit"),
    path("summary/campaign/<int:campaign_id>/file.<str:fmt>", views.download, name="download"),
    path("summary/campaign/<int:campaign_id>/chart/<str:key>.png", views.chart, name="chart"),
    path("summary/campaign/<int:campaign_id>/photo/<str:key>", views.photo, name="photo"),
    path("summary/campaign/<int:campaign_id>/send/", views.send_home, name="send"),
    path("summary/campaign/<int:campaign_id>/received/", views.queue, name="queue"),
    path("summary/sendup/<int:sendup_id>/", views.detail, name="sendup"),
    path("summary/sendup/<int:sendup_id>/review/", views.review, name="review"),
    path("summary/sendup/<int:sendup_id>/summary.docx", views.sendup_file, name="sendup_file"),
    path("summary/sendup/<int:sendup_id>/files/<str:sha256>", views.sendup_media, name="sendup_media"),
]
