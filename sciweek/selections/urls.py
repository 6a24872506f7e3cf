from django.urls import path

from . import views, views_manage, views_public, views_review, views_setup

app_name = "selections"
urlpatterns = [
    path("selections/<int:selection_id>/vote/", views.vote_page, name="vote"),
    path("my/selections/<int:selection_id>/", views.my_nominations, name="mine"),
    path("my/selections/<int:selection_id>/new/", views.nomination_edit, name="nomination_new"),
    path(
        "my/selections/<int:selection_id>/<int:nomination_id>/", views.nomination_edit, name="nomination_edit"
    ),
    path("manage/campaigns/<int:campaign_id>/selections/", views_setup.selection_list, name="list"),
    path("manage/selections/<int:selection_id>/vote-rules/", views_setup.vote_rules, name="vote_rules"),
    path("manage/selections/<int:selection_id>/", views.manage, name="manage"),
    path("manage/selections/nominations/<int:nomination_id>/review/", views.review, name="review"),
    path("manage/selections/<int:selection_id>/anomalies/", views.anomalies, name="anomalies"),
    path("manage/selections/<int:selection_id>/decide/", views_manage.decide, name="decide"),
    path("manage/selections/objections/<int:objection_id>/answer/", views_manage.answer, name="answer"),
    path("selections/<int:selection_id>/publicity/", views_public.publicity_page, name="publicity"),
    path("selections/<int:selection_id>/winners/", views_public.winners_page, name="winners"),
    path("selections/nominations/<int:nomination_id>/portrait/", views_manage.portrait, name="portrait"),
]

# Expert review, certificates (h16a)
urlpatterns += [
    path(
        "manage/selections/<int:selection_id>/expert-review/",
        views_review.review_manage,
        name="expert_review",
    ),
    path("selections/<int:selection_id>/judge/", views_review.judge_home, name="judge_home"),
    path(
        "selections/<int:selection_id>/judge/<int:assignment_id>/",
        views_review.judge_score,
        name="judge_score",
    ),
    path(
        "manage/selections/<int:selection_id>/certificates/", views_review.certificates, name="certificates"
    ),
    path("selections/<int:selection_id>/verify/<str:token>/", views_review.verify_page, name="verify"),
]
