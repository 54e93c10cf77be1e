from django.urls import path

from . import views

schedules = "networks/<slug:slug>/reports/schedules/"

urlpatterns = [
    path("reports/jobs/", views.request_report_view, name="request_report"),
    path("reports/jobs/<uuid:job_id>/", views.job_progress, name="report_job"),
    path("reports/jobs/<uuid:job_id>/status.json", views.job_status,
         name="report_job_status"),
    path(schedules, views.schedules, name="report_schedules"),
    path(schedules + "<int:schedule_id>/toggle/", views.schedule_toggle,
         name="report_schedule_toggle"),
    path(schedules + "<int:schedule_id>/delete/", views.schedule_delete,
         name="report_schedule_delete"),
]
