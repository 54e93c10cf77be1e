"""The resource library's pages. Included by ``coiin.community.urls`` (the
``community`` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("community/resources/", views.library, name="resources"),
    path("community/resources/<int:pk>/", views.resource_detail, name="resource"),
    path("community/resources/<int:pk>/versions/", views.add_version,
         name="resource_version"),
    path("community/resources/<int:pk>/v<int:number>/", views.resource_file,
         name="resource_file"),
]
