from django.urls import path

from .views import me, organizer

app_name = "reminders"

C = "reminders/campaigns/<int:campaign_id>/"
urlpatterns = [
    path("notifications/centre/", me.notification_list, name="notifications"),
    path("notifications/centre/mark/", me.notification_mark, name="notification_mark"),
    path("notifications/centre/<int:notification_id>/", me.notification_open, name="notification_open"),
    path("reminders/preferences/", me.preferences, name="preferences"),
    path(C + "rules/", organizer.rules, name="rules"),
    path(C + "rules/<int:requirement_id>/", organizer.rule_edit, name="rule_edit"),
    path(C + "preview/", organizer.preview, name="preview"),
    path(C + "sent/", organizer.sent_overview, name="sent"),
    path(C + "units/<int:unit_id>/", organizer.unit_log, name="unit_log"),
    path(C + "resend/<int:occurrence_id>/", organizer.resend, name="resend"),
    path(C + "confirm/<int:requirement_id>/", organizer.confirmations, name="confirmations"),
    path(C + "digest/", organizer.digest, name="digest"),
    path(C + "status/", organizer.status, name="status"),
]
