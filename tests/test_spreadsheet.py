"""CSV injection: text that starts like a formula is written as text and read back as it was."""

from __future__ import annotations

import csv
import io

import pytest

from coiin.spreadsheet import SafeWriter, safe_cell, unescape_cell


@pytest.mark.parametrize("text, written", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+1 call back", "'+1 call back"),
    ("-see notes", "'-see notes"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\tcmd", "'\tcmd"),
    ("'=already quoted", "''=already quoted"),
    ("-5", "-5"),  # a negative number is a number, not a formula
    ("+1.5", "+1.5"),
    ("plain = text", "plain = text"),
    ("'apostrophe", "'apostrophe"),
    ("", ""),
])
def test_formula_text_gets_an_apostrophe_and_loses_it_on_import(text, written):
    assert safe_cell(text) == written
    assert unescape_cell(written) == text


def test_other_values_pass_unchanged():
    assert safe_cell(-3) == -3
    assert safe_cell(None) is None


def test_the_writer_quotes_every_cell():
    out = io.StringIO()
    SafeWriter(out).writerow(["GA", "=1+1", -2, "@x"])
    assert next(csv.reader(io.StringIO(out.getvalue()))) == ["GA", "'=1+1", "-2", "'@x"]
