"""Event pages and calendar feeds. Included by ``coiin.community.urls`` (the
``community`` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("community/events/", views.event_list, name="events"),
    path("community/events/new/", views.event_new, name="event_new"),
    path("community/events/<int:pk>/", views.event_detail, name="event"),
    path("community/events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("community/events/<int:pk>/cancel/", views.event_cancel, name="event_cancel"),
    path("community/events/<int:pk>/rsvp/", views.event_rsvp, name="event_rsvp"),
    path("community/events/<int:pk>/attendance/", views.event_attendance,
         name="event_attendance"),
    path("community/events/<int:pk>/materials/", views.event_material,
         name="event_materials"),
    path("community/event-materials/<int:pk>/", views.material_file,
         name="event_material"),
    path("community/calendar/", views.calendar_settings, name="calendar"),
    path("community/calendar/<str:token>.ics", views.calendar_feed,
         name="calendar_feed"),
    path("community/calendar/<str:token>/<slug:slug>.ics", views.network_calendar_feed,
         name="network_calendar_feed"),
]
