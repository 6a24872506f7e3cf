"""Site pages over core's models that need memberships (views/workbench.py): mounted by sciweek/urls.py
in the "core" namespace with core's own pages, so their names stay core:home, core:notifications, core:audit."""

from django.urls import path

from .views import workbench

urlpatterns = [
    path("home/", workbench.home, name="home"),
    path("notifications/", workbench.notifications, name="notifications"),
    path("manage/audit/", workbench.audit_list, name="audit"),
]
