"""``coiin export-data --format`` and ``coiin import-data`` of the three formats."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from coiin.measures.models import DataValue

from .conftest import ROWS, seed, snapshot

# The folder's shared rows (conftest.make_world) stay on one worker.
pytestmark = pytest.mark.xdist_group("interchange")


@pytest.mark.parametrize("fmt,suffix", [("fhir", "json"), ("dhis2-json", "json"),
                                        ("adx", "xml")])
def test_export_then_dry_run_then_import_then_import_again(fmt, suffix, world, tmp_path,
                                                           capsys):
    from django.db import transaction

    path = tmp_path / f"ga.{suffix}"
    with transaction.atomic():
        seed(world)
        before = snapshot(world)
        call_command("export_data", str(path), "--format", fmt, "--jurisdiction", "GA")
        transaction.set_rollback(True)
    call_command("import_data", str(path), "--dry-run")
    assert "Dry run" in capsys.readouterr().out and not DataValue.objects.exists()
    call_command("import_data", str(path))
    assert f"{len(ROWS)} values were created" in capsys.readouterr().out
    assert snapshot(world) == before
    call_command("import_data", str(path))
    assert f"{len(ROWS)} unchanged" in capsys.readouterr().out


def test_a_refused_document_lists_every_problem(world, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"dataValues": [{"dataElement": "X", "period": "2017", "orgUnit": "GA",'
                    ' "attributeOptionCombo": "safe-sleep", "value": "1"}]}')
    with pytest.raises(CommandError, match=r"dataValues\[0\] \('X/default'\): data element"):
        call_command("import_data", str(path))


def test_an_unknown_format_is_refused(world, tmp_path):
    with pytest.raises(CommandError, match="--format must be one of"):
        call_command("export_data", str(tmp_path / "x.json"), "--format", "hl7v2")
