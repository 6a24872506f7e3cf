from django.urls import path

from . import health, views

# The "core" namespace also holds home/, notifications/ and manage/audit/ (orgs/workbench_urls.py),
# joined with these by sciweek/urls.py.
app_name = "core"
urlpatterns = [
    path("jobs/<int:job_id>/", views.job_status, name="job"),
    path("jobs/<int:job_id>/download/", views.job_download, name="job_download"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", health.metrics, name="metrics"),
]
