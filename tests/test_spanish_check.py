"""The check that tells English on a Spanish page (tests/spanish.py) finds English sentences
and labels, and not Spanish, codes, addresses or names; it leaves out parts marked as
another language."""

from __future__ import annotations

import pytest

from tests.spanish import english, english_words, read


@pytest.mark.parametrize("text", [
    "Save and submit", "Sign in", "Your TA request is now “Resolved”", "44 people",
    "Tips for presenting run charts to hospital leadership?", "Download", "outside the limits",
    "Hospital safe sleep policy with monthly crib audits",
])
def test_it_finds_english(text):
    assert english_words(text)


@pytest.mark.parametrize("text", [
    "Guardar y enviar", "Iniciar sesión", "Infantes observados en un entorno de sueño seguro",
    "SS-CRIB", "IMR: 5,8 por 1,000 nacidos vivos", "p. ej. /networks/safe-sleep/ga/charts/",
    "lead@example.org", "America/New_York", "SHA-256 c7e84be284ce01eb…", "no", "Total",
    "Educación sobre sueño seguro con repetición de lo aprendido (teach-back) al alta",
    "Datos: CDC/NCHS, US",
])
def test_it_passes_spanish_codes_and_addresses(text):
    assert not english_words(text)


def test_proper_names_given_are_not_english():
    assert english_words("New Jersey") and not english_words("New Jersey", ["New Jersey"])


def test_parts_marked_as_another_language_are_left_out():
    html = ('<html lang="es"><head><title>The post · Comunidad</title></head><body>'
            '<h1 lang="en">The post</h1><div lang="en"><p>Written <b>in</b> English</p>'
            '<p lang="es">Guardar the cambios</p></div><script>var the = 1;</script>'
            '<input type="submit" value="Save"><button value="save">Guardar</button>'
            '<img alt="The chart"><select><option>Any tag</option></select></body></html>')
    language, _ = read(html)
    assert language == "es"
    assert english(html) == ["p: Guardar the cambios", "input[value]: Save",
                             "img[alt]: The chart", "option: Any tag"]
