from django.urls import path

from .views import entries, judge, manage, public

app_name = "contests"
urlpatterns = [
    path("contests/", manage.contest_list, name="list"),
    path("contests/<int:contest_id>/", manage.contest_detail, name="detail"),
    path("contests/<int:contest_id>/entries/", entries.entry_list, name="entries"),
    path("contests/<int:contest_id>/entries/new/", entries.entry_new, name="entry_new"),
    path("contests/<int:contest_id>/files/<int:file_id>/", manage.attachment, name="attachment"),
    path("contests/<int:contest_id>/assign/<str:stage>/", manage.assign, name="assign"),
    path("contests/<int:contest_id>/judges/add/", manage.judge_add_view, name="judge_add"),
    path("contests/<int:contest_id>/nudge/<str:stage>/<int:judge_id>/", manage.nudge, name="nudge"),
    path("contests/<int:contest_id>/settings/", manage.settings_view, name="settings"),
    path("contests/<int:contest_id>/shortlist/", manage.shortlist_view, name="shortlist"),
    path("contests/<int:contest_id>/ranking/", manage.ranking_view, name="ranking"),
    path("contests/<int:contest_id>/duplicates/", manage.duplicates_view, name="duplicates"),
    path("contests/<int:contest_id>/certificates/", manage.certificates, name="certificates"),
    path(
        "contests/<int:contest_id>/recommendation.xlsx", manage.recommendation_export, name="recommendation"
    ),
    path("contests/<int:contest_id>/objections/", manage.objections, name="objections"),
    path("contests/<int:contest_id>/judge/", judge.judge_home, name="judge"),
    path("contests/<int:contest_id>/judge/<int:assignment_id>/", judge.score, name="score"),
    # Public: no login.
    path("contest/<int:contest_id>/publicity/", public.publicity, name="publicity"),
    path("contest/<int:contest_id>/results/", public.announcement, name="announcement"),
    path("contest/verify/<str:code>/", public.verify, name="verify"),
]
