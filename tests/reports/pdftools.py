"""Reading report PDFs back in tests: text, page count, fonts, a page as PNG (pypdfium2)."""

from __future__ import annotations

import ctypes
import shutil
import subprocess
import tempfile
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def open_pdf(data: bytes) -> pdfium.PdfDocument:
    return pdfium.PdfDocument(data)


def text(pdf: pdfium.PdfDocument, index: int | None = None) -> str:
    """One page's text, or every page's."""
    pages = range(len(pdf)) if index is None else [index]
    return "\n".join(pdf[i].get_textpage().get_text_range() for i in pages)


def fonts(page: pdfium.PdfPage) -> set[str]:
    """The fonts of a PDF page's text, without their subset prefixes."""
    textpage = page.get_textpage()
    names = set()
    for i in range(textpage.count_chars()):
        size = pdfium_raw.FPDFText_GetFontInfo(textpage.raw, i, None, 0, None)
        buffer = ctypes.create_string_buffer(size)
        pdfium_raw.FPDFText_GetFontInfo(textpage.raw, i, buffer, size, None)
        if buffer.value:
            names.add(buffer.value.decode().partition("+")[2])
    return names


def save_png(pdf: pdfium.PdfDocument, index: int, name: str) -> Path:
    """Page ``index`` as a PNG test artifact: by poppler's pdftoppm where it is installed
    (CI installs it), else drawn by pdfium, so a machine without poppler still checks it."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    if shutil.which("pdftoppm"):
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "report.pdf"
            pdf.save(str(source))
            page = str(index + 1)
            subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", page, "-l", page,  # noqa: S603,S607
                            "-singlefile", str(source), str(path.with_suffix(""))],
                           check=True, capture_output=True, timeout=120)
    else:
        pdf[index].render(scale=1.5).to_pil().save(path)
    return path
