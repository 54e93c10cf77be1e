"""Backbone reporting-status pages."""

from django.urls import path

from . import views_status

urlpatterns = [
    path("data/status/", views_status.reporting_status, name="reporting_status"),
    path("data/status/lock/", views_status.bulk_lock, name="bulk_lock"),
    path("data/status/undo-lock/", views_status.undo_lock, name="undo_lock"),
    path("data/status/review/", views_status.bulk_review, name="bulk_review"),
    path("data/status/undo-review/", views_status.undo_review, name="undo_review"),
]
