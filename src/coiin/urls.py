from django.contrib import admin
from django.urls import include, path

from coiin import converters  # noqa: F401 - registers the <postal:...> converter
from coiin.api.views import api
from coiin.network import views
from coiin.network.language import choose_language

urlpatterns = [
    path("", views.overview, name="overview"),
    path("jurisdictions/<postal:postal>/", views.jurisdiction_detail, name="jurisdiction"),
    path("jurisdictions/<postal:postal>/join/", views.join_network, name="join_network"),
    path("networks/<slug:slug>/", views.network_detail, name="learning_network"),
    path("networks/<slug:slug>/<postal:postal>/", views.team_detail, name="team"),
    path("networks/<slug:slug>/<postal:postal>/invite/", views.invite, name="invite"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("people/", views.people, name="people"),
    path("language/", choose_language, name="choose_language"),
    path("", include("coiin.vitals.urls")),
    path("", include("coiin.measures.urls")),
    path("", include("coiin.interchange.urls")),
    path("", include("coiin.charts.urls")),
    path("", include("coiin.reports.urls")),
    path("", include("coiin.reports.public.urls")),
    path("", include("coiin.improvement.urls")),
    path("", include("coiin.community.urls")),
    path("", include("coiin.community.home.urls")),
    path("", include("coiin.storyboards.urls")),
    path("", include("coiin.api.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
