"""Attachments: the type is read from the content; disguised and oversized files are refused."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.core.models import AuditEntry
from gongkai.disclosure import services
from gongkai.disclosure.attachments import check_attachment, clean_name

from . import builders
from .builders import publish


@pytest.mark.parametrize(
    "make,name,kind",
    [
        (builders.make_pdf, "通知.pdf", "pdf"),
        (lambda: builders.make_docx("通知正文"), "通知.docx", "docx"),
        (lambda: builders.make_xlsx([["姓名", "金额"], ["张某某", 800]]), "名单.xlsx", "xlsx"),
        (builders.make_ofd, "公文.ofd", "ofd"),
        (builders.make_png, "照片.png", "png"),
        (builders.make_png, "无扩展名", "png"),
    ],
)
def test_real_files_are_accepted(make, name, kind):
    assert check_attachment(make(), name).code == kind


@pytest.mark.parametrize(
    "data,name,message",
    [
        (builders.make_exe(), "通知.pdf", "可执行程序"),
        (builders.make_zip({"a.txt": b"hello"}), "通知.pdf", "ZIP压缩包"),
        (builders.make_zip({"a.txt": b"hello"}), "通知.docx", "ZIP压缩包"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "通知.doc", "doc"),
        (b"<html><script>alert(1)</script></html>", "通知.pdf", "无法识别"),
        (b"", "空.pdf", "空文件"),
        (builders.make_pdf()[:-30], "截断.pdf", "不完整"),
    ],
)
def test_disguised_or_unsupported_files_are_refused(data, name, message):
    with pytest.raises(ValidationError, match=message):
        check_attachment(data, name)


def test_extension_must_match_the_content():
    with pytest.raises(ValidationError, match="内容实际上是PDF文档"):
        check_attachment(builders.make_pdf(), "名单.xlsx")


def test_size_limit_is_configurable(settings):
    settings.GONGKAI_ATTACHMENT_MAX_MB = 1
    big = builders.make_pdf() + b"%" * (1024 * 1024)
    with pytest.raises(ValidationError, match="超过上限"):
        check_attachment(big, "大文件.pdf")


def test_zip_bomb_is_refused():
    bomb = builders.make_zip({"OFD.xml": b"0" * (50 * 1024 * 1024)})
    with pytest.raises(ValidationError, match="压缩炸弹"):
        check_attachment(bomb, "x.ofd")


def test_display_names_are_never_paths():
    assert clean_name("../../etc/passwd") == "passwd"
    assert clean_name("C:\\Users\\张三\\通知.pdf") == "通知.pdf"
    assert clean_name("a\x00b\u202e.pdf") == "ab.pdf"
    assert clean_name("") == "附件"


def test_attach_to_draft_stores_file_hash_and_type(people, record):
    data = builders.make_pdf()
    attachment = services.add_attachment(people["editor"], record, data, "../通知.pdf")
    assert attachment.original_name == "通知.pdf"
    assert attachment.kind == "pdf" and attachment.content_type == "application/pdf"
    assert attachment.size == len(data)
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert "通知" not in attachment.file.name and attachment.file.name.endswith(".pdf")
    with attachment.file.open("rb") as f:
        assert f.read() == data
    assert AuditEntry.objects.filter(action="disclosure.attach").count() == 1


def test_refused_upload_leaves_nothing(people, record):
    with pytest.raises(ValidationError):
        services.add_attachment(people["editor"], record, builders.make_exe(), "通知.pdf")
    assert record.attachments.count() == 0


def test_only_drafts_take_attachments_and_only_editors_add_them(people, record):
    with pytest.raises(PermissionDenied):
        services.add_attachment(people["reviewer"], record, builders.make_pdf(), "a.pdf")
    services.submit(people["editor"], record)
    with pytest.raises(ValidationError, match="不能直接修改"):
        services.add_attachment(people["editor"], record, builders.make_pdf(), "a.pdf")


def test_remove_attachment_from_draft(people, record, django_capture_on_commit_callbacks):
    attachment = services.add_attachment(people["editor"], record, builders.make_pdf(), "a.pdf")
    storage, name = attachment.file.storage, attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_attachment(people["editor"], attachment)
    assert record.attachments.count() == 0
    assert not storage.exists(name)
    detach = AuditEntry.objects.get(action="disclosure.detach")
    assert detach.before["sha256"] == attachment.sha256


def test_files_of_a_record_once_published_stay(people, record, django_capture_on_commit_callbacks):
    data = builders.make_pdf("Notice 2026")
    attachment = services.add_attachment(people["editor"], record, data, "通知.pdf")
    publish(people, record)
    services.withdraw(people["reviewer"], record, "附件需更正")
    services.transition(people["editor"], record, "reopen")
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError, match="曾经发布"),
    ):
        services.remove_attachment(people["editor"], attachment)
    assert list(record.attachments.all()) == [attachment]
    with attachment.file.open("rb") as f:
        assert f.read() == data  # the file the public saw is still there
    assert not AuditEntry.objects.filter(action="disclosure.detach").exists()
    # The correction is a new attachment, listed beside the old one.
    services.add_attachment(people["editor"], record, builders.make_pdf("Corrected"), "更正.pdf")
    assert record.attachments.count() == 2
