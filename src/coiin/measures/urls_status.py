"""Backbone reporting-status pages."""

from django.urls import path

from . import views_status

urlpatterns = [
    path("data/status/", views_status.reporting_status, name="reporting_status"),
]
