from django.urls import path

from .importing import views

app_name = "notices"
urlpatterns = [
    path("manage/notices/import/", views.notice_upload, name="notice_upload"),
    path("manage/notices/<str:token>/review/", views.notice_review, name="notice_review"),
    path("manage/notices/<str:token>/discard/", views.notice_discard, name="notice_discard"),
]
