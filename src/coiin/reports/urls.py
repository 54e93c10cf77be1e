from django.urls import include, path

from . import views, views_documents

urlpatterns = [
    path("networks/<slug:slug>/<postal:postal>/reports/", views_documents.team_reports,
         name="team_reports"),
    path("networks/<slug:slug>/reports/", views_documents.network_reports,
         name="network_reports"),
    path("national/reports/", views_documents.national_reports, name="national_reports"),
    path("reports/snapshots/<uuid:snapshot_id>/", views_documents.snapshot_file,
         name="report_snapshot"),
    path("", include("coiin.reports.urls_jobs")),
    path("compare/", views.compare, name="compare"),
    path("national/", views.national_dashboard, name="national_dashboard"),
    path("networks/<slug:slug>/charts/", views.network_dashboard, name="network_dashboard"),
]
