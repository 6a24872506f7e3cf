from django.urls import path

from . import views

app_name = "materials"
urlpatterns = [
    path("my/publicity/<int:campaign_id>/<int:unit_id>/", views.publicity_edit, name="publicity"),
    path("my/staff/<int:unit_id>/", views.staff_edit, name="staff"),
]
