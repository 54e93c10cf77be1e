"""Technical-assistance pages. Included by ``coiin.community.urls`` (the
``community`` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("community/ta/", views.queue, name="ta"),
    path("community/ta/<int:pk>/", views.detail, name="ta_request"),
    path("community/ta/<int:pk>/reply/", views.reply, name="ta_reply"),
    path("community/ta/<int:pk>/status/", views.status, name="ta_status"),
    path("community/ta/<int:pk>/assign/", views.assign, name="ta_assign"),
    path("community/ta/<int:pk>/rate/", views.rate, name="ta_rate"),
]
