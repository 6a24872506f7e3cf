from django.urls import path

from .views import entries, judge, manage

app_name = "contests"
urlpatterns = [
    path("contests/", manage.contest_list, name="list"),
    path("contests/<int:contest_id>/", manage.contest_detail, name="detail"),
    path("contests/<int:contest_id>/entries/", entries.entry_list, name="entries"),
    path("contests/<int:contest_id>/entries/new/", entries.entry_new, name="entry_new"),
    path("contests/<int:contest_id>/files/<int:attachment_id>/", manage.attachment, name="attachment"),
    path("contests/<int:contest_id>/assign/<str:stage>/", manage.assign, name="assign"),
    path("contests/<int:contest_id>/shortlist/", manage.shortlist_view, name="shortlist"),
    path("contests/<int:contest_id>/ranking/", manage.ranking_view, name="ranking"),
    path("contests/<int:contest_id>/duplicates/", manage.duplicates_view, name="duplicates"),
    path("contests/<int:contest_id>/judge/", judge.judge_home, name="judge"),
    path("contests/<int:contest_id>/judge/<int:assignment_id>/", judge.score, name="score"),
]
