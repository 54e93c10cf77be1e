"""Uploaded files: the type is decided by the content (magic bytes), and the extension
must agree with it; a size limit applies; and where a stored file goes. Nothing here
writes to storage."""

from __future__ import annotations

import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileType:
    key: str
    label: str
    content_type: str
    extensions: tuple[str, ...]


TYPES = {t.key: t for t in [
    FileType("pdf", "PDF", "application/pdf", (".pdf",)),
    FileType("png", "PNG image", "image/png", (".png",)),
    FileType("jpeg", "JPEG image", "image/jpeg", (".jpg", ".jpeg")),
    FileType("gif", "GIF image", "image/gif", (".gif",)),
    FileType("docx", "Word document", "application/vnd.openxmlformats-officedocument."
             "wordprocessingml.document", (".docx",)),
    FileType("xlsx", "Excel workbook", "application/vnd.openxmlformats-officedocument."
             "spreadsheetml.sheet", (".xlsx",)),
    FileType("pptx", "PowerPoint presentation", "application/vnd.openxmlformats-"
             "officedocument.presentationml.presentation", (".pptx",)),
    FileType("ole", "Office 97–2003 document", "application/octet-stream",
             (".doc", ".xls", ".ppt")),
    FileType("csv", "CSV or plain text", "text/csv", (".csv", ".txt")),
]}
DEFAULT_ALLOWED = list(TYPES)
_OOXML = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
_OLE_TYPES = {".doc": "application/msword", ".xls": "application/vnd.ms-excel",
              ".ppt": "application/vnd.ms-powerpoint"}


def allowed_types() -> list[FileType]:
    keys = getattr(settings, "COMMUNITY_UPLOAD_TYPES", DEFAULT_ALLOWED)
    return [TYPES[k] for k in keys if k in TYPES]


def max_bytes() -> int:
    return int(getattr(settings, "COMMUNITY_MAX_UPLOAD_MB", 10) * 1024 * 1024)


def sniff(head: bytes, upload: UploadedFile) -> str | None:
    """The type key the content shows, or None."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"PK\x03\x04"):
        return _ooxml(upload)
    return _text(upload)


def _ooxml(upload: UploadedFile) -> str | None:
    """An Office Open XML package: [Content_Types].xml and the part folder tell which."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for prefix, key in _OOXML.items():
        if any(n.startswith(prefix) for n in names):
            return key
    return None


def _text(upload: UploadedFile) -> str | None:
    upload.seek(0)
    data = upload.read()
    if b"\x00" in data:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "csv"


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    name: str
    content_type: str
    size: int


def check_upload(upload: UploadedFile) -> CheckedFile:
    """The file if its size, content and extension are acceptable; ValidationError if not."""
    name = PurePosixPath(upload.name or "file").name
    limit = max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("%(name)s is %(size)s MB; files may be at most %(limit)s MB.")
            % {"name": name, "size": format(upload.size / 1024 / 1024, ".1f"),
               "limit": limit // (1024 * 1024)}, code="too_big")
    if not upload.size:
        raise ValidationError(_("%(name)s is empty.") % {"name": name}, code="empty")
    upload.seek(0)
    head = upload.read(16)
    key = sniff(head, upload)
    upload.seek(0)
    allowed = allowed_types()
    labels = ", ".join(t.label for t in allowed)
    kind = TYPES.get(key or "")
    if kind is None or kind not in allowed:
        raise ValidationError(
            _("%(name)s is not a file type we accept (allowed: %(labels)s).")
            % {"name": name, "labels": labels}, code="bad_type")
    ext = PurePosixPath(name.lower()).suffix
    if ext not in kind.extensions:
        raise ValidationError(
            _("%(name)s looks like a %(kind)s but its name ends in %(ext)s; rename it to end in "
              "%(extensions)s.")
            % {"name": name, "kind": kind.label, "ext": ext or 'nothing',
               "extensions": ' or '.join(kind.extensions)}, code="bad_extension")
    content_type = _OLE_TYPES.get(ext, kind.content_type) if kind.key == "ole" else (
        "text/plain" if ext == ".txt" else kind.content_type)
    return CheckedFile(upload=upload, name=name, content_type=content_type,
                       size=upload.size or 0)


def upload_path(instance: object, filename: str) -> str:
    """community/<uuid>/<safe name>: unguessable, and the original name survives."""
    name = get_valid_filename(PurePosixPath(filename).name)[:120] or "file"
    return f"community/{uuid.uuid4().hex}/{name}"
