from django.urls import path

from . import views

urlpatterns = [
    path("networks/<slug:slug>/<postal:postal>/reports/", views.team_reports,
         name="team_reports"),
    path("networks/<slug:slug>/reports/", views.network_reports, name="network_reports"),
    path("national/reports/", views.national_reports, name="national_reports"),
    path("reports/snapshots/<uuid:snapshot_id>/", views.snapshot_file,
         name="report_snapshot"),
]
