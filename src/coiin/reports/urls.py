from django.urls import include, path

urlpatterns = [
    path("", include("coiin.reports.documents.urls")),
    path("", include("coiin.reports.jobs.urls")),
    path("", include("coiin.reports.dashboards.urls")),
]
