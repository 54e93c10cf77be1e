"""Pages of the improvement method: team pages, network pages, and what works."""

from django.urls import path

from .views import evidence as ev
from .views import network as net
from .views import team

app_name = "improvement"

t = "networks/<slug:slug>/<postal:postal>/improvement/"
n = "networks/<slug:slug>/improvement/"

urlpatterns = [
    path("what-works/", ev.what_works, name="what_works"),
    path("networks/<slug:slug>/what-works/", ev.network_what_works, name="network_what_works"),
    # a learning network's
    path(n, net.network_home, name="network"),
    path(n + "aims/", net.network_aims, name="network_aims"),
    path(n + "driver-diagram/", net.network_diagram, name="network_diagram"),
    path(n + "driver-diagram.<str:fmt>", net.network_diagram_export,
         name="network_diagram_export"),
    path(n + "change-package/", net.change_package, name="change_package"),
    path(n + "change-package/<int:pk>/", ev.idea_detail, name="idea"),
    path(n + "change-package/<int:pk>/primary-measure/", ev.set_primary, name="idea_primary"),
    path(n + "change-package/<int:pk>/confirm/<int:event>/", ev.confirm_date,
         name="idea_confirm"),
    path(n + "change-package/<int:pk>/edit/", net.idea_edit, name="idea_edit"),
    path(n + "scores/", net.heatmap, name="heatmap"),
    path(n + "calendar/", net.calendar, name="calendar"),
    path(n + "calendar/<int:pk>/", net.event_detail, name="event"),
    # a team's
    path(t, team.team_home, name="team"),
    path(t + "aims/", team.team_aims, name="team_aims"),
    path(t + "driver-diagram/", team.team_diagram, name="team_diagram"),
    path(t + "driver-diagram.<str:fmt>", team.team_diagram_export, name="team_diagram_export"),
    path(t + "ideas/", team.team_ideas, name="team_ideas"),
    path(t + "cycles/", team.cycles, name="cycles"),
    path(t + "cycles/new/", team.cycle_new, name="cycle_new"),
    path(t + "cycles/<int:number>/", team.cycle_detail, name="cycle"),
    path(t + "cycles/<int:number>/edit/", team.cycle_edit, name="cycle_edit"),
    path(t + "scores/", team.team_scores, name="team_scores"),
]
