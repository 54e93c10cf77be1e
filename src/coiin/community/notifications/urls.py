"""The inbox, e-mail settings and unsubscribe pages. Included by ``coiin.community.urls`` (the
``community`` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("community/inbox/", views.inbox, name="inbox"),
    path("community/inbox/read/", views.mark_read, name="mark_read"),
    path("community/inbox/<int:pk>/", views.open_notification, name="open_notification"),
    path("community/settings/", views.settings_page, name="settings"),
    path("community/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
