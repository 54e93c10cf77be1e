"""The vitals command speaks the language of its ``--language`` (else the ``--user``'s own,
else English) in everything it prints: the progress lines, the summary, the refusals, and
the rates table; an unknown ``--user`` is refused clearly, in the language asked for."""

from __future__ import annotations

from io import StringIO

from .conftest import CDC_RAW, NVSS
from .test_reproduction import loaded, refused, run  # noqa: F401 - fixture


def test_progress_follows_the_language(reference):
    err = StringIO()
    run("import", str(CDC_RAW), "--progress-every", "200", "--dry-run", "--language", "es",
        stderr=err)
    assert err.getvalue().splitlines() == ["200 filas leídas", "400 filas leídas"]
    err = StringIO()
    run("import", str(CDC_RAW), "--progress-every", "400", "--dry-run", stderr=err)
    assert err.getvalue().splitlines() == ["read 400 rows"]


def test_progress_follows_the_user_s_own_language(reference, backbone):
    backbone.language = "es"
    backbone.save(update_fields=["language"])
    err = StringIO()
    out = run("import", str(CDC_RAW), "--progress-every", "400", "--user", backbone.email,
              stderr=err)
    assert err.getvalue().splitlines() == ["400 filas leídas"]
    assert "added" not in out


def test_an_unknown_user_is_refused_clearly_in_the_language_asked_for(reference):
    spanish = refused("import", str(NVSS), "--user", "nadie@example.org", "--language", "es")
    assert spanish == ("--user nadie@example.org: nadie tiene una cuenta con esta dirección "
                       "de correo electrónico; indique la dirección de correo electrónico de "
                       "la persona que carga el archivo, u omita --user.")
    english = refused("import", str(NVSS), "--user", "nobody@example.org")
    assert english.startswith("--user nobody@example.org: no one has an account with this "
                              "e-mail address;")


def test_a_missing_file_is_refused_in_the_language_asked_for(reference, tmp_path):
    assert refused("import", str(tmp_path / "nada.csv"), "--language", "es").startswith(
        "No se puede leer ")


def test_the_rates_table_in_spanish(loaded):  # noqa: F811 - the fixture
    text = run("rates", "--jurisdiction", "UT", "--language", "es")
    assert text.startswith("Tasa de mortalidad infantil por cada 1,000 nacidos vivos, por año")
    assert "comparación" in text and "comparison" not in text
    assert "UT   2019       249     46826    5.32       5.27  DIFIERE en 0.05" in text
    assert "6 de 7 tasas publicadas reproducidas" in text
    assert refused("rates", "--jurisdiction", "QQ", "--language", "es") == (
        "No hay ninguna jurisdicción con el código QQ.")
    english = run("rates", "--jurisdiction", "UT")
    assert english.startswith("Infant mortality rate per 1,000 live births, by year")
