"""Making and re-making report snapshots."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from coiin.measures.periods import Period
from coiin.network.models import LearningNetwork, Team, User

from . import team as documents
from .models import ReportSnapshot


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


def _keep(*, kind: str, name: str, inputs: dict, data: bytes, fmt: str, period: Period,
          team: Team | None = None, network: LearningNetwork | None = None,
          user: User | None = None) -> ReportSnapshot:
    path = default_storage.save(f"reports/{name.lower()}.{fmt}", ContentFile(data))
    return ReportSnapshot.objects.create(
        kind=kind, team=team, network=network, period=period.label, format=fmt,
        inputs=inputs, file=path, sha256=documents.sha256(data), size=len(data),
        created_by=user)


def make_network_report(*, network: LearningNetwork, period: Period, fmt: str,
                        user: User | None = None) -> tuple[ReportSnapshot, bytes]:
    """A learning network's report: read, render, keep."""
    from .network import network_context, network_inputs

    inputs = network_inputs(network, period)
    data = documents.render(network_context(inputs), fmt)
    return _keep(kind=ReportSnapshot.Kind.NETWORK, name=f"{network.slug}-{period.label}",
                 inputs=inputs, data=data, fmt=fmt, period=period, network=network,
                 user=user), data


def make_national_report(*, period: Period, fmt: str,
                         user: User | None = None) -> tuple[ReportSnapshot, bytes]:
    """The national report to the funder: read, render, keep."""
    from .national import national_context, national_inputs

    inputs = national_inputs(period)
    data = documents.render(national_context(inputs), fmt)
    return _keep(kind=ReportSnapshot.Kind.NATIONAL, name=f"national-{period.label}",
                 inputs=inputs, data=data, fmt=fmt, period=period, user=user), data


def make_report(kind: str, *, period: Period, fmt: str, team: Team | None = None,
                network: LearningNetwork | None = None,
                user: User | None = None) -> tuple[ReportSnapshot, bytes]:
    """Make a report of any kind and keep its snapshot (the one entry point for views,
    the command line and background jobs)."""
    if fmt not in documents.CONTENT_TYPES:
        raise ValueError(f"A report's format is one of {', '.join(documents.CONTENT_TYPES)}, "
                         f"not {fmt!r}.")
    if kind == ReportSnapshot.Kind.TEAM:
        if team is None:
            raise ValueError("A team report needs a team.")
        return make_team_report(team=team, period=period, fmt=fmt, user=user)
    if kind == ReportSnapshot.Kind.NETWORK:
        if network is None:
            raise ValueError("A learning-network report needs a learning network.")
        return make_network_report(network=network, period=period, fmt=fmt, user=user)
    if kind == ReportSnapshot.Kind.NATIONAL:
        return make_national_report(period=period, fmt=fmt, user=user)
    kinds = ", ".join(ReportSnapshot.Kind.values)
    raise ValueError(f"A report's kind is one of {kinds}, not {kind!r}.")


def remake(snapshot: ReportSnapshot) -> dict:
    """The report's context built again from the snapshot's stored inputs."""
    return documents.context_of(snapshot.inputs)


def stored_file(snapshot: ReportSnapshot) -> bytes:
    """The file as it was made; its SHA-256 is checked."""
    with default_storage.open(snapshot.file, "rb") as fh:
        data = fh.read()
    if documents.sha256(data) != snapshot.sha256:
        raise ValueError(f"The stored file of snapshot {snapshot.pk} does not match its SHA-256.")
    return data
