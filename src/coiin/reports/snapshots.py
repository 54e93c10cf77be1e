"""Making and re-making report snapshots."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from coiin.measures.periods import Period
from coiin.network.models import LearningNetwork, Team, User

from . import documents
from .models_snapshots import ReportSnapshot


def make_team_report(*, team: Team, period: Period, fmt: str,
                     user: User | None = None) -> tuple[ReportSnapshot, bytes]:
    """Read the inputs, render the report, keep the file and its inputs; return both."""
    inputs = documents.team_inputs(team, period)
    data = documents.render(documents.team_context(inputs), fmt)
    name = f"{team.jurisdiction.postal_code}-{team.learning_network.slug}-{period.label}"
    path = default_storage.save(f"reports/{name.lower()}.{fmt}", ContentFile(data))
    snapshot = ReportSnapshot.objects.create(
        kind=ReportSnapshot.Kind.TEAM, team=team, period=period.label, format=fmt,
        inputs=inputs, file=path, sha256=documents.sha256(data), size=len(data),
        created_by=user)
    return snapshot, data


def make_report(kind: str, *, period: Period, fmt: str, team: Team | None = None,
                network: LearningNetwork | None = None,
                user: User | None = None) -> tuple[ReportSnapshot, bytes]:
    """Make a report of any kind and keep its snapshot (the one entry point for views,
    the command line and background jobs)."""
    if kind == ReportSnapshot.Kind.TEAM:
        if team is None:
            raise ValueError("A team report needs a team.")
        return make_team_report(team=team, period=period, fmt=fmt, user=user)
    raise ValueError(f"Reports of kind {kind!r} cannot be made yet.")


def remake(snapshot: ReportSnapshot) -> dict:
    """The report's context built again from the snapshot's stored inputs."""
    return documents.team_context(snapshot.inputs)


def stored_file(snapshot: ReportSnapshot) -> bytes:
    """The file as it was made; its SHA-256 is checked."""
    with default_storage.open(snapshot.file, "rb") as fh:
        data = fh.read()
    if documents.sha256(data) != snapshot.sha256:
        raise ValueError(f"The stored file of snapshot {snapshot.pk} does not match its SHA-256.")
    return data
