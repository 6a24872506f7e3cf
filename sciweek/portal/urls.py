from django.urls import path

from . import notice_views, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("c/<int:campaign_id>/", views.campaign_page, name="campaign"),
    path("c/<int:campaign_id>/notice/", notice_views.notice_page, name="notice"),
    path("c/<int:campaign_id>/notice/original/", notice_views.notice_original, name="notice_original"),
    path("c/<int:campaign_id>/notice/table.<str:fmt>", notice_views.notice_table, name="notice_table"),
]
