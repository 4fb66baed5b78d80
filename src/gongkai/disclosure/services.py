"""Disclosure workflows: drafting, attachments, review, publication, withdrawal, the
privacy screen's mask and override, and due dates.

Every function checks permissions itself (admin, API, commands and tests are thin),
changes data in one transaction, writes the audit log and keeps the version history.
Nothing is deleted: a published record is withdrawn, with a reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from gongkai.catalog.models import CatalogItem, ItemStatus
from gongkai.core import audit
from gongkai.org.models import Role
from gongkai.org.permissions import (
    EDIT_ROLES,
    REVIEW_ROLES,
    VIEW_ROLES,
    agencies_for,
    has_role,
    require_role,
)
from gongkai.privacy.services import MIN_REASON_CHARS

from . import screening
from .attachments import IMAGE_KINDS, check_attachment, clean_name
from .indexnumber import allocate
from .models import Attachment, Record, RecordStatus
from .sanitize import sanitize_html
from .search import index_records, unindex_records
from .timeliness import due_date
from .workflow import TRANSITIONS

# What editors may set on a draft.
EDITABLE_FIELDS = (
    "item",
    "title",
    "body",
    "doc_number",
    "issuer",
    "written_on",
    "formed_on",
    "topic",
    "categories",
    "is_normative",
    "validity",
    "validity_date",
)
# Changes of these move the due date (the defined recomputation events).
DUE_INPUTS = ("item", "formed_on")


# --- querysets -----------------------------------------------------------------------


def public_records() -> QuerySet[Record]:
    """What anyone may see: published records."""
    return Record.objects.filter(status=RecordStatus.PUBLISHED)


def visible_records(user) -> QuerySet[Record]:
    scope = agencies_for(user, VIEW_ROLES)
    return Record.objects.filter(Q(status=RecordStatus.PUBLISHED) | Q(agency__in=scope))


def can_view(user, record: Record) -> bool:
    return record.status == RecordStatus.PUBLISHED or has_role(user, record.agency, VIEW_ROLES)


# --- drafting ------------------------------------------------------------------------


def _check_item(user, item: CatalogItem) -> None:
    if item.is_guideline:
        raise ValidationError("公开信息须归入本机关的目录事项，不能归入标准指引。")
    if item.status == ItemStatus.RETIRED:
        raise ValidationError(f"目录事项“{item}”已停用，不能再归入新的公开信息。")
    require_role(user, item.agency, EDIT_ROLES, "在该目录事项下编写公开信息")


def _validate(record: Record) -> None:
    record.full_clean(exclude=["item", "agency"])


def _snapshot(record: Record) -> dict[str, Any]:
    """Short fields for the audit log (the body and findings live in the history)."""
    data = {
        "item": record.item_id,
        "title": record.title,
        "doc_number": record.doc_number,
        "issuer": record.issuer,
        "written_on": _iso(record.written_on),
        "formed_on": _iso(record.formed_on),
        "topic": record.topic,
        "categories": list(record.categories),
        "is_normative": record.is_normative,
        "validity": record.validity,
        "validity_date": _iso(record.validity_date),
        "body_sha256": hashlib.sha256(record.body.encode()).hexdigest()[:16],
    }
    return data


@transaction.atomic
def create_record(user, item: CatalogItem, **fields: Any) -> Record:
    """A new draft under `item` (of the item's agency)."""
    _check_item(user, item)
    unknown = set(fields) - set(EDITABLE_FIELDS) - {"item"}
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    if "body" in fields:
        fields["body"] = sanitize_html(fields["body"])
    record = Record(item=item, agency=item.agency, created_by=_user(user), **fields)
    _validate(record)
    # The due date counts from 信息形成日期, not from submission: a draft left lying past it
    # is late too (Record.late_q), so it is fixed now, not at the first submit.
    _compute_due(record)
    record._history_user = _user(user)
    record._change_reason = "新建"
    record.save()
    after = {**_snapshot(record), "due": _due_snapshot(record)}
    audit.record(user, "disclosure.create", record, after=after, agency_code=item.agency.code)
    return record


def _lock(record: Record) -> Record:
    return Record.objects.select_for_update().select_related("agency", "item").get(pk=record.pk)


def _check_draft(user, record: Record, action: str) -> None:
    require_role(user, record.agency, EDIT_ROLES, action)
    if record.status != RecordStatus.DRAFT:
        raise ValidationError(
            f"“{record.get_status_display()}”状态的公开信息不能直接修改，请先退回或撤回。"
        )


@transaction.atomic
def update_record(user, record: Record, **changes: Any) -> Record:
    """Edit a draft. A change of 信息形成日期 or of the catalog item recomputes a due date
    that was already computed (the defined events); nothing else moves it."""
    record = _lock(record)
    _check_draft(user, record, "修改该公开信息")
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    if "item" in changes and changes["item"].pk != record.item_id:
        _check_item(user, changes["item"])
        record.agency = changes["item"].agency
    if "body" in changes:
        changes["body"] = sanitize_html(changes["body"])
    before = _snapshot(record)
    for name, value in changes.items():
        setattr(record, name, value)
    _validate(record)
    after = _snapshot(record)
    if after == before:
        return record
    moved = [f for f in DUE_INPUTS if before[f] != after[f]]
    due_before = _due_snapshot(record)
    if moved and record.due_on:
        _compute_due(record)
    record._history_user = _user(user)
    record._change_reason = "修改"
    record.save()
    note = ""
    if moved and record.due_on:
        after["due"] = _due_snapshot(record)
        before["due"] = due_before
        note = "信息形成日期或目录事项变更，已重新计算公开期限"
    audit.record(
        user,
        "disclosure.update",
        record,
        before=before,
        after=after,
        note=note,
        agency_code=record.agency.code,
    )
    return record


@transaction.atomic
def set_validity(
    user, record: Record, validity: str, validity_date: dt.date | None, note: str = ""
) -> Record:
    """Change a normative document's validity (有效/失效/废止) — also once published."""
    record = _lock(record)
    require_role(user, record.agency, REVIEW_ROLES, "变更规范性文件的效力状态")
    if not record.is_normative:
        raise ValidationError("只有规范性文件才有效力状态。")
    before = {"validity": record.validity, "validity_date": _iso(record.validity_date)}
    record.validity, record.validity_date = validity, validity_date
    _validate(record)
    record._history_user = _user(user)
    record._change_reason = f"效力状态变更：{record.get_validity_display()}"
    record.save()
    audit.record(
        user,
        "disclosure.validity",
        record,
        before=before,
        after={"validity": record.validity, "validity_date": _iso(record.validity_date)},
        note=note,
        agency_code=record.agency.code,
    )
    if record.status == RecordStatus.PUBLISHED:
        index_records([record.pk])
        _announce(record, "updated")
    return record


# --- attachments -----------------------------------------------------------------------


@transaction.atomic
def add_attachment(user, record: Record, data: bytes, filename: str) -> Attachment:
    """Attach a file to a draft after checking its size and its type by content."""
    record = _lock(record)
    _check_draft(user, record, "上传附件")
    kind = check_attachment(data, filename)
    name = clean_name(filename)
    text = ""
    if kind.code not in IMAGE_KINDS:
        # A file whose text cannot be read (damaged, password-protected) cannot be screened
        # and would not open for the public either: refuse it now.
        text, error = screening.extract(data, name)
        if error:
            raise ValidationError(error)
    attachment = Attachment(
        record=record,
        original_name=name,
        size=len(data),
        kind=kind.code,
        content_type=kind.content_type,
        sha256=hashlib.sha256(data).hexdigest(),
        extracted_text=text,
        sort_order=record.attachments.count(),
        uploaded_by=_user(user),
    )
    attachment.file.save(f"file{kind.extensions[0]}", ContentFile(data), save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    audit.record(
        user,
        "disclosure.attach",
        record,
        after={"attachment": attachment.pk, "name": name, "kind": kind.code, "size": len(data),
               "sha256": attachment.sha256},
        agency_code=record.agency.code,
    )  # fmt: skip
    return attachment


@transaction.atomic
def remove_attachment(user, attachment: Attachment) -> None:
    """Take a file off a draft (e.g. to replace one the privacy screen flagged).

    Only a draft that was never published: once a record has had an index number its files
    were public, and they stay (a correction is a new attachment, listed beside the old)."""
    record = _lock(attachment.record)
    _check_draft(user, record, "删除附件")
    if record.index_number:
        raise ValidationError(
            f"该公开信息曾经发布（索引号{record.index_number}），附件须保留，不能删除；"
            "如需更正，请上传新的附件。"
        )
    before = {
        "attachment": attachment.pk,
        "name": attachment.original_name,
        "kind": attachment.kind,
        "size": attachment.size,
        "sha256": attachment.sha256,
    }
    storage, path = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(path))
    audit.record(user, "disclosure.detach", record, before=before, agency_code=record.agency.code)


# --- review and publication --------------------------------------------------------------


@transaction.atomic
def transition(
    user,
    record: Record,
    name: str,
    note: str = "",
    *,
    publish_at: dt.datetime | None = None,
    at: dt.datetime | None = None,
) -> Record:
    """Apply one workflow transition — the only place a record's status changes
    (besides the scheduled publication run, `publish_scheduled`).

    `at` dates the action in the past (submitted/published/withdrawn time, 发布日期 and the
    index number's year follow it) — for loading a history, e.g. the demo; never in the
    future. The audit entry and the version keep the real time of the call."""
    spec = TRANSITIONS.get(name)
    if spec is None:
        raise ValidationError(f"未知的操作：{name}")
    record = _lock(record)
    require_role(user, record.agency, spec.roles, spec.label)
    if record.status not in spec.source:
        raise ValidationError(f"“{record.get_status_display()}”状态的公开信息不能{spec.label}。")
    note = (note or "").strip()
    if spec.needs_note and not note:
        raise ValidationError(f"{spec.label}需要填写理由。")
    if spec.second_person and record.submitted_by_id and record.submitted_by_id == _uid(user):
        raise PermissionDenied("审核人不能审核自己提交的公开信息，请由另一位审核人审核。")
    if spec.second_person and record.created_by_id and record.created_by_id == _uid(user):
        # The author may differ from the submitter (another editor submitted the draft).
        raise PermissionDenied("审核人不能审核自己编写的公开信息，请由另一位审核人审核。")

    now = _action_time(at)
    before = {"status": record.status}
    after: dict[str, Any] = {}
    if name == "submit":
        _check_complete(record)
        record.submitted_by, record.submitted_at = _user(user), now
        if record.due_on is None:  # the first submission fixes the due date
            _compute_due(record)
            after["due"] = _due_snapshot(record)
        screening.screen(record)
        after["findings"] = len(record.screen_findings)
    elif name in ("approve", "schedule"):
        record.reviewed_by, record.review_note = _user(user), note
        if name == "schedule":
            if publish_at is None or publish_at <= timezone.now():
                raise ValidationError("请填写将来的定时发布时间。")
            _require_clear_screen(record)
            record.publish_at = publish_at
            after["publish_at"] = publish_at.isoformat()
        else:
            _publish(record, now)
            after.update(index_number=record.index_number, published_on=_iso(record.published_on))
    elif name == "unschedule":
        record.publish_at = None
    elif name == "reject":
        record.reviewed_by, record.review_note, record.publish_at = _user(user), note, None
    elif name == "withdraw":
        record.withdrawn_at, record.withdraw_reason = now, note
    record.status = spec.target
    record._history_user = _user(user)
    record._change_reason = f"{spec.label}{('：' + note) if note else ''}"
    record.save()
    if name == "approve":
        index_records([record.pk])
        _announce(record, "published")
    elif name == "withdraw":
        unindex_records([record.pk])
        _announce(record, "retired")
    after["status"] = record.status
    audit.record(
        user,
        f"disclosure.{name}",
        record,
        before=before,
        after=after,
        note=note,
        agency_code=record.agency.code,
    )
    return record


def submit(user, record: Record, *, at: dt.datetime | None = None) -> Record:
    return transition(user, record, "submit", at=at)


def approve(user, record: Record, note: str = "", *, at: dt.datetime | None = None) -> Record:
    return transition(user, record, "approve", note, at=at)


def schedule(user, record: Record, publish_at: dt.datetime, note: str = "") -> Record:
    return transition(user, record, "schedule", note, publish_at=publish_at)


def reject(user, record: Record, reason: str) -> Record:
    return transition(user, record, "reject", reason)


def withdraw(user, record: Record, reason: str, *, at: dt.datetime | None = None) -> Record:
    return transition(user, record, "withdraw", reason, at=at)


def _action_time(at: dt.datetime | None) -> dt.datetime:
    """Now, or the past moment `at` an action is recorded as having happened."""
    now = timezone.now()
    if at is None:
        return now
    if timezone.is_naive(at):
        raise ValueError("at must be timezone-aware")
    if at > now:
        raise ValidationError("操作时间不能晚于当前时间。")
    return at


def _check_complete(record: Record) -> None:
    _validate(record)
    if not record.title.strip():
        raise ValidationError("标题不能为空。")
    if not record.body_text() and not record.attachments.exists():
        raise ValidationError("正文和附件不能都为空。")


def _require_clear_screen(record: Record) -> None:
    screening.screen(record)
    if record.screen_blocks:
        raise ValidationError(
            f"隐私筛查发现{len(record.screen_findings)}处可能的个人信息或敏感内容"
            f"（{screening.summary(record.screen_findings)}），不能发布。"
            "请遮盖个人信息、替换附件，或由审核人填写理由后放行。"
        )


def _announce(record: Record, action: str) -> None:
    """The same-source outbox (channels): feeds, the change feed and webhooks hear of
    every public change, in this transaction."""
    from gongkai.channels.outbox import record_change

    record_change("record", record, action)


def _publish(record: Record, now: dt.datetime) -> None:
    """Screen again, then give the record its 发布日期 and 索引号 (at publication only)."""
    _require_clear_screen(record)
    record.published_at = now
    record.published_on = timezone.localdate(now)
    record.publish_at = None
    if not record.index_number:  # a record published again keeps its number
        record.index_number = allocate(record.agency, record.published_on.year)


@dataclass
class ScheduledRun:
    published: list[Record] = field(default_factory=list)
    held: list[tuple[Record, str]] = field(default_factory=list)


def publish_scheduled(now: dt.datetime | None = None) -> ScheduledRun:
    """Publish every scheduled record whose time has come (idempotent; run by cron).

    A record the privacy screen now blocks (e.g. a sensitive word added to the list since)
    goes back to 待审核 with the reason in its review note, instead of being published."""
    now = now or timezone.now()
    run = ScheduledRun()
    due = Record.objects.filter(status=RecordStatus.SCHEDULED, publish_at__lte=now)
    for pk in list(due.order_by("publish_at", "pk").values_list("pk", flat=True)):
        with transaction.atomic():
            record = Record.objects.select_for_update().select_related("agency").get(pk=pk)
            if record.status != RecordStatus.SCHEDULED or record.publish_at > now:
                continue  # another run got there first
            scheduled_for = record.publish_at
            try:
                _publish(record, now)
            except ValidationError as exc:
                reason = "；".join(exc.messages)
                record.status = RecordStatus.SUBMITTED
                record.publish_at = None
                record.review_note = f"定时发布未执行：{reason}"
                record._change_reason = "定时发布未执行"
                record.save()
                audit.record(
                    None,
                    "disclosure.schedule_held",
                    record,
                    before={"status": RecordStatus.SCHEDULED},
                    after={"status": record.status},
                    note=reason,
                    agency_code=record.agency.code,
                )
                run.held.append((record, reason))
                continue
            record.status = RecordStatus.PUBLISHED
            record._change_reason = "定时发布"
            record.save()
            index_records([record.pk])
            _announce(record, "published")
            audit.record(
                None,
                "disclosure.publish_scheduled",
                record,
                before={"status": RecordStatus.SCHEDULED},
                after={
                    "status": record.status,
                    "index_number": record.index_number,
                    "published_on": _iso(record.published_on),
                    "scheduled_for": scheduled_for.isoformat(),
                },
                agency_code=record.agency.code,
            )
            run.published.append(record)
    return run


# --- privacy screen: mask and override ----------------------------------------------------


# Re-screening stores a new result on the record: a change, so not for auditors.
RESCREEN_ROLES = EDIT_ROLES + REVIEW_ROLES


@transaction.atomic
def screen_record(user, record: Record) -> Record:
    """Run the screen again (e.g. after the sensitive-word list changed) and keep the result."""
    record = _lock(record)
    require_role(user, record.agency, RESCREEN_ROLES, "重新筛查")
    before = {"findings": len(record.screen_findings), "blocks": record.screen_blocks}
    screening.screen(record)
    record._history_user = _user(user)
    record._change_reason = "隐私筛查"
    record.save()
    audit.record(
        user,
        "disclosure.rescreen",
        record,
        before=before,
        after={
            "findings": len(record.screen_findings),
            "blocks": record.screen_blocks,
            "kinds": sorted({f.get("kind", "") for f in record.screen_findings}),
        },
        agency_code=record.agency.code,
    )
    return record


@transaction.atomic
def mask_personal_data(record: Record, user) -> Record:
    """Mask personal data found in the title, 文号, 发文机关 and body (its text and the
    attributes the screen reads) in one step (e.g. 220102********1234).

    Attachments cannot be masked in place: they must be replaced (on a draft) or the
    findings overridden with a reason. The reviewer masks during review; an editor may
    mask a draft."""
    record = _lock(record)
    if record.status == RecordStatus.DRAFT:
        if not has_role(user, record.agency, EDIT_ROLES + REVIEW_ROLES):
            raise PermissionDenied(f"您没有权限遮盖个人信息（{record.agency}）。")
    elif record.status in (RecordStatus.SUBMITTED, RecordStatus.SCHEDULED):
        require_role(user, record.agency, REVIEW_ROLES, "遮盖个人信息")
    else:
        raise ValidationError(f"“{record.get_status_display()}”状态的公开信息不能修改。")
    screening.screen(record)
    before_findings = len(record.screen_findings)
    masked = {
        "title": screening.mask(record.title),
        "doc_number": screening.mask(record.doc_number),
        "issuer": screening.mask(record.issuer),
        "body": screening.mask_html(record.body),
    }
    changed = any(getattr(record, name) != value for name, value in masked.items())
    for name, value in masked.items():
        setattr(record, name, value)
    screening.screen(record)
    record._history_user = _user(user)
    record._change_reason = "遮盖个人信息"
    record.save()
    audit.record(
        user,
        "disclosure.mask",
        record,
        before={"findings": before_findings},
        after={"findings": len(record.screen_findings), "changed": changed},
        agency_code=record.agency.code,
    )
    return record


@transaction.atomic
def override_screen(record: Record, user, reason: str) -> Record:
    """Let the current findings through with a written reason (audited). The override holds
    only for exactly these findings: any new finding blocks publication again."""
    record = _lock(record)
    require_role(user, record.agency, REVIEW_ROLES, "放行隐私筛查结果")
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_CHARS:
        raise ValidationError(
            f"放行筛查结果须填写理由（至少{MIN_REASON_CHARS}个字），说明为何可以公开。"
        )
    if record.status not in (RecordStatus.SUBMITTED, RecordStatus.SCHEDULED):
        raise ValidationError("只有待审核的公开信息才能放行筛查结果。")
    if record.submitted_by_id and record.submitted_by_id == _uid(user):
        raise PermissionDenied("提交人不能放行自己提交的公开信息，请由另一位审核人处理。")
    screening.screen(record)
    if not record.screen_findings:
        raise ValidationError("当前没有需要放行的筛查发现。")
    now = timezone.now()
    record.screen_override = {
        "by": _uid(user),
        "by_name": getattr(user, "get_username", lambda: "")(),
        "at": now.isoformat(),
        "reason": reason,
        "digest": screening.digest(record.screen_findings),
        "count": len(record.screen_findings),
    }
    record._history_user = _user(user)
    record._change_reason = f"放行筛查结果：{reason}"
    record.save()
    audit.record(
        user,
        "disclosure.override_screen",
        record,
        after={
            "findings": len(record.screen_findings),
            "kinds": sorted({f.get("kind", "") for f in record.screen_findings}),
        },
        note=reason,
        agency_code=record.agency.code,
    )
    return record


# --- due dates --------------------------------------------------------------------------


def _due_snapshot(record: Record) -> dict[str, Any]:
    return {
        "due_on": _iso(record.due_on),
        "basis": record.due_basis,
        "provisional": record.due_provisional,
    }


def _compute_due(record: Record) -> None:
    try:
        due = due_date(record.item.time_limit, record.formed_on)
    except ValueError as exc:  # e.g. 9999-12-31: the count runs past the last date
        raise ValidationError({"formed_on": f"信息形成日期无法计算公开期限：{exc}"}) from exc
    record.due_on, record.due_basis = due.due_on, due.basis[:300]
    record.due_provisional = due.provisional
    record.due_computed_at = timezone.now()


@transaction.atomic
def recompute_due(user, record: Record, note: str = "") -> Record:
    """重新计算期限: the explicit, audited way to apply today's calendar and time limit."""
    record = _lock(record)
    require_role(user, record.agency, (Role.ADMIN,), "重新计算公开期限")
    before = _due_snapshot(record)
    _compute_due(record)
    record._history_user = _user(user)
    record._change_reason = f"重新计算期限{('：' + note) if note else ''}"
    record.save()
    audit.record(
        user,
        "disclosure.recompute_due",
        record,
        before=before,
        after=_due_snapshot(record),
        note=note,
        agency_code=record.agency.code,
    )
    return record


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _user(user):
    return user if getattr(user, "is_authenticated", False) else None


def _uid(user):
    return user.pk if getattr(user, "is_authenticated", False) else None
