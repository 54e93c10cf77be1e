from django.urls import include, path

urlpatterns = [
    path("", include("coiin.measures.urls_io")),
    path("", include("coiin.measures.urls_status")),
]
