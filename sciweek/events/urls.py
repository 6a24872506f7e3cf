from django.urls import path

from .views import checkin, large, manage, public, recover, tickets, unit

app_name = "events"
urlpatterns = [
    # The public (no login)
    path("events/", public.calendar, name="calendar"),
    path("events/c/<int:campaign_id>/", public.calendar, name="campaign_calendar"),
    path("events/calendar.ics", public.campaign_ics, name="ics"),
    path("events/c/<int:campaign_id>/calendar.ics", public.campaign_ics, name="campaign_ics"),
    path("events/mine/", tickets.mine, name="mine"),
    path("events/mine/recover/", recover.recover, name="recover"),
    path("events/<int:event_id>/", public.detail, name="detail"),
    path("events/<int:event_id>/qr.svg", public.share_qr, name="share_qr"),
    path("events/<int:event_id>/event.ics", public.event_ics, name="event_ics"),
    path("events/<int:event_id>/go/", public.go, name="go"),
    path("events/<int:event_id>/images/<int:image_id>/", public.image, name="image"),
    path("events/<int:event_id>/register/", tickets.register, name="register"),
    path("events/<int:event_id>/walkin/<str:key>/", tickets.walkin, name="walkin"),
    path("events/ticket/<str:token>/", tickets.ticket, name="ticket"),
    path("events/ticket/<str:token>/cancel/", tickets.cancel, name="cancel"),
    # A unit's own events
    path("my/events/", unit.my_events, name="my_events"),
    path("my/events/new/", unit.event_new, name="new"),
    path("my/events/<int:event_id>/", unit.staff_detail, name="staff_detail"),
    path("my/events/<int:event_id>/edit/", unit.event_edit, name="edit"),
    path("my/events/<int:event_id>/submit/", unit.event_submit, name="submit"),
    path("my/events/<int:event_id>/delete/", unit.event_delete, name="delete"),
    path("my/events/<int:event_id>/images/", unit.image_upload, name="image_upload"),
    path("my/events/<int:event_id>/images/<int:image_id>/", unit.image_staff, name="image_staff"),
    path("my/events/<int:event_id>/images/<int:image_id>/delete/", unit.image_delete, name="image_delete"),
    path("my/events/<int:event_id>/outcome/", unit.outcome, name="outcome"),
    path("my/events/<int:event_id>/cancel/", unit.event_cancel_view, name="event_cancel"),
    # The organizer, and staff at the door
    path("manage/events/", manage.review_list, name="review_list"),
    path("manage/events/large/<int:campaign_id>/", large.large_list, name="large_list"),
    path("my/events/<int:event_id>/safety/", large.safety_save, name="safety_save"),
    path("my/events/<int:event_id>/safety/plan/", large.safety_plan, name="safety_plan"),
    path("manage/events/<int:event_id>/review/", manage.review, name="review"),
    path("manage/events/<int:event_id>/registrations/", manage.registrations, name="registrations"),
    path(
        "manage/events/<int:event_id>/registrations.csv",
        manage.registrations_export,
        name="registrations_export",
    ),
    path("manage/events/<int:event_id>/messages/", manage.messages_log, name="messages"),
    path("manage/events/<int:event_id>/messages/retry/", manage.messages_retry, name="messages_retry"),
    path("manage/events/<int:event_id>/checkin/", checkin.checkin_page, name="checkin"),
    path("manage/events/<int:event_id>/checkin/sync/", checkin.sync, name="checkin_sync"),
    path("manage/events/<int:event_id>/checkin/counter/", checkin.counter, name="checkin_counter"),
    path("manage/events/<int:event_id>/poster/", checkin.poster, name="poster"),
]
