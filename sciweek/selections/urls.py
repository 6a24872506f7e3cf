from django.urls import path

from . import views

app_name = "selections"
urlpatterns = [
    path("selections/<int:selection_id>/vote/", views.vote_page, name="vote"),
    path("my/selections/<int:selection_id>/", views.my_nominations, name="mine"),
    path("my/selections/<int:selection_id>/new/", views.nomination_edit, name="nomination_new"),
    path(
        "my/selections/<int:selection_id>/<int:nomination_id>/", views.nomination_edit, name="nomination_edit"
    ),
    path("manage/selections/<int:selection_id>/", views.manage, name="manage"),
    path("manage/selections/nominations/<int:nomination_id>/review/", views.review, name="review"),
    path("manage/selections/<int:selection_id>/anomalies/", views.anomalies, name="anomalies"),
]
