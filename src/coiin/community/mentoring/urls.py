"""Peer-mentoring pages. Included by ``coiin.community.urls`` (the
``community`` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("community/mentoring/", views.home, name="mentoring"),
    path("community/mentoring/teams/<int:team>/", views.suggestions,
         name="mentor_suggestions"),
    path("community/mentoring/request/", views.request_mentor,
         name="mentor_request"),
    path("community/mentoring/<int:pk>/", views.pairing, name="pairing"),
    path("community/mentoring/<int:pk>/answer/", views.answer, name="pairing_answer"),
    path("community/mentoring/<int:pk>/meetings/", views.meeting,
         name="pairing_meeting"),
    path("community/mentoring/<int:pk>/close/", views.close, name="pairing_close"),
]
