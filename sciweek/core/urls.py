from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("home/", views.home, name="home"),
    path("notifications/", views.notifications, name="notifications"),
    path("manage/audit/", views.audit_list, name="audit"),
    path("jobs/<int:job_id>/", views.job_status, name="job"),
    path("jobs/<int:job_id>/download/", views.job_download, name="job_download"),
]
