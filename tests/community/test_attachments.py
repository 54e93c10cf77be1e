"""Attachments: type by content, extension agreeing, size limit, all or nothing, and
served only to people who may see the post (always as a download)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from coiin.community.models import Attachment, Post
from coiin.community.notifications import services as notifications
from coiin.community.uploads import check_upload

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32


def ooxml(part: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr(f"{part}document.xml", "<x/>")
    return buf.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize("name, data, content_type", [
    ("plan.pdf", b"%PDF-1.7\n...", "application/pdf"),
    ("chart.png", PNG, "image/png"),
    ("photo.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
    ("anim.gif", b"GIF89a" + b"\x00" * 20, "image/gif"),
    ("notes.docx", ooxml("word/"), "application/vnd.openxmlformats-officedocument."
                                   "wordprocessingml.document"),
    ("data.xlsx", ooxml("xl/"), "application/vnd.openxmlformats-officedocument."
                                "spreadsheetml.sheet"),
    ("deck.pptx", ooxml("ppt/"), "application/vnd.openxmlformats-officedocument."
                                 "presentationml.presentation"),
    ("old.doc", OLE, "application/msword"),
    ("old.xls", OLE, "application/vnd.ms-excel"),
    ("rates.csv", "county,rate\nFulton,5.1\nÅland,1\n".encode(), "text/csv"),
])
def test_allowed_types_are_recognised_by_content(name, data, content_type):
    checked = check_upload(upload(name, data))
    assert checked.content_type == content_type and checked.size == len(data)


@pytest.mark.parametrize("name, data, message", [
    ("tool.pdf", b"MZ\x90\x00" + b"\x00" * 40, "not a file type we accept"),
    ("page.html", b"<script>alert(1)</script>", "rename it to end in .csv or .txt"),
    ("chart.pdf", PNG, "looks like a PNG image but its name ends in .pdf"),
    ("archive.docx", b"PK\x03\x04" + b"\x00" * 40, "not a file type we accept"),
    ("evil.csv", b"a,b\x00c", "not a file type we accept"),
    ("latin1.csv", "café".encode("latin-1"), "not a file type we accept"),
    ("empty.pdf", b"", "is empty"),
])
def test_disallowed_files_are_refused_with_a_clear_message(name, data, message):
    with pytest.raises(ValidationError) as exc:
        check_upload(upload(name, data))
    assert message in exc.value.messages[0]


def test_the_allow_list_is_configurable(settings):
    settings.COMMUNITY_UPLOAD_TYPES = ["pdf"]
    with pytest.raises(ValidationError, match="allowed: PDF"):
        check_upload(upload("chart.png", PNG))


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.COMMUNITY_MAX_UPLOAD_MB = 1
    with pytest.raises(ValidationError, match="at most 1 MB"):
        check_upload(upload("big.pdf", b"%PDF-" + b"0" * (1024 * 1024)))


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_post_with_attachments_stores_them_under_community(as_persona, lead, team_space,
                                                              settings):
    response = as_persona("lead").post(team_space.get_absolute_url(), {
        "kind": "resource", "title": "Our plan", "body": "Attached.",
        "files": [upload("plan.pdf", b"%PDF-1.4 plan"), upload("rates.csv", b"a,b\n1,2\n")]})
    assert response.status_code == 302
    names = sorted(a.name for a in Attachment.objects.all())
    assert names == ["plan.pdf", "rates.csv"]
    assert all(a.file.name.startswith("community/") for a in Attachment.objects.all())
    assert len(stored_files(settings)) == 2


def test_one_bad_file_stores_nothing_at_all(as_persona, lead, team_space, settings):
    response = as_persona("lead").post(team_space.get_absolute_url(), {
        "kind": "resource", "title": "Our plan", "body": "Attached.",
        "files": [upload("plan.pdf", b"%PDF-1.4 plan"), upload("virus.pdf", b"MZ\x90\x00")]})
    assert response.status_code == 400
    assert "virus.pdf is not a file type we accept" in response.content.decode()
    assert not Post.objects.exists() and not Attachment.objects.exists()
    assert stored_files(settings) == []


def test_an_oversized_upload_gets_a_clear_error_and_nothing_is_stored(as_persona, lead,
                                                                      team_space, settings):
    settings.COMMUNITY_MAX_UPLOAD_MB = 1
    response = as_persona("lead").post(team_space.get_absolute_url(), {
        "kind": "resource", "title": "Big", "body": "Attached.",
        "files": [upload("big.pdf", b"%PDF-" + b"0" * (2 * 1024 * 1024))]})
    assert response.status_code == 400
    assert "files may be at most 1 MB" in response.content.decode()
    assert not Post.objects.exists() and stored_files(settings) == []


def test_a_failure_after_the_file_was_written_leaves_no_orphan(as_persona, lead, team_space,
                                                               settings, monkeypatch):
    def boom(**kwargs):
        raise RuntimeError("mail server exploded")

    monkeypatch.setattr(notifications, "notify_mentions", boom)
    client = as_persona("lead")
    client.raise_request_exception = False
    response = client.post(team_space.get_absolute_url(), {
        "kind": "resource", "title": "Plan", "body": "Attached.",
        "files": [upload("plan.pdf", b"%PDF-1.4 plan")]})
    assert response.status_code == 500
    assert not Post.objects.exists() and stored_files(settings) == []


def test_images_are_served_as_downloads_too(as_persona, lead, team_space):
    as_persona("lead").post(team_space.get_absolute_url(), {
        "kind": "win", "title": "Chart", "body": "See.", "files": [upload("c.png", PNG)]})
    response = as_persona("lead").get(Attachment.objects.get().get_absolute_url())
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="c.png"'


def test_attachment_download_refuses_post(as_persona, lead, team_space):
    as_persona("lead").post(team_space.get_absolute_url(), {
        "kind": "win", "title": "Chart", "body": "See.", "files": [upload("c.png", PNG)]})
    url = Attachment.objects.get().get_absolute_url()
    assert as_persona("lead").post(url).status_code == 405
