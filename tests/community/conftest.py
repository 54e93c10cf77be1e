"""Community fixtures: the four kinds of space around the shared personas."""

from __future__ import annotations

import pytest

from coiin.community import services
from coiin.community.models import Space


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def wide(db) -> Space:
    return services.network_wide_space()


@pytest.fixture
def network_space(team) -> Space:
    """The Safe Sleep learning network's space."""
    return services.space_for(team.learning_network)


@pytest.fixture
def team_space(team) -> Space:
    """Georgia Safe Sleep's private team space."""
    return services.space_for(team)


@pytest.fixture
def other_space(other_team) -> Space:
    """Ohio Smoking Cessation's private team space."""
    return services.space_for(other_team)


@pytest.fixture
def spaces(wide, network_space, team_space, other_space) -> dict[str, Space]:
    return {"wide": wide, "network": network_space, "team": team_space,
            "other_team": other_space}


def post_in(space: Space, author, *, title="A post", body="Some **text**.", kind="idea",
            **extra):
    return services.create_post(author=author, spaces=[space], kind=kind, title=title,
                                body=body, **extra)
