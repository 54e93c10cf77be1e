"""Import and export pages."""

from django.urls import path

from . import views_io

urlpatterns = [
    path("data/import/", views_io.import_data, name="import_data"),
    path("data/import/jobs/<uuid:job_id>/", views_io.import_job, name="import_job"),
    path("data/import/template/", views_io.import_template, name="import_template"),
    path("data/import/submit/", views_io.submit_imported, name="submit_imported"),
    path("data/export/", views_io.export_data, name="export_data"),
]
