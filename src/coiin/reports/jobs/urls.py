from django.urls import path

from . import views_jobs

schedules = "networks/<slug:slug>/reports/schedules/"

urlpatterns = [
    path("reports/jobs/", views_jobs.request_report_view, name="request_report"),
    path("reports/jobs/<uuid:job_id>/", views_jobs.job_progress, name="report_job"),
    path("reports/jobs/<uuid:job_id>/status.json", views_jobs.job_status,
         name="report_job_status"),
    path(schedules, views_jobs.schedules, name="report_schedules"),
    path(schedules + "<int:schedule_id>/toggle/", views_jobs.schedule_toggle,
         name="report_schedule_toggle"),
    path(schedules + "<int:schedule_id>/delete/", views_jobs.schedule_delete,
         name="report_schedule_delete"),
]
