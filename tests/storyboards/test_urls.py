"""The storyboard pages keep the addresses they had when they were part of the improvement
pages and the public site: bookmarks and links people shared still work."""

from __future__ import annotations

from django.urls import resolve, reverse


def test_the_team_and_network_pages_keep_their_paths():
    team = ["safe-sleep", "ga"]
    assert reverse("storyboards:list", args=team) == \
        "/networks/safe-sleep/ga/improvement/storyboards/"
    assert reverse("storyboards:new", args=team) == \
        "/networks/safe-sleep/ga/improvement/storyboards/new/"
    assert reverse("storyboards:detail", args=[*team, 3]) == \
        "/networks/safe-sleep/ga/improvement/storyboards/3/"
    assert reverse("storyboards:edit", args=[*team, 3]) == \
        "/networks/safe-sleep/ga/improvement/storyboards/3/edit/"
    assert reverse("storyboards:step", args=[*team, 3]) == \
        "/networks/safe-sleep/ga/improvement/storyboards/3/step/"
    assert reverse("storyboards:queue", args=["safe-sleep"]) == \
        "/networks/safe-sleep/improvement/storyboards/"


def test_the_public_pages_keep_their_paths():
    assert reverse("storyboards:public_index") == "/public/storyboards/"
    assert reverse("storyboards:public_detail", args=[3]) == "/public/storyboards/3/"
    assert reverse("storyboards:public_csv", args=[3]) == "/public/storyboards/3.csv"
    assert resolve("/public/storyboards/3/").view_name == "storyboards:public_detail"
