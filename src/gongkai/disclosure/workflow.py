"""The state machine of a disclosure record: the table of allowed transitions.

draft → submitted (submit) → published (approve)
                           → scheduled (schedule, a future time) → published (the
                             `gongkai publish-scheduled` command, run by cron)
scheduled → submitted (unschedule); submitted/scheduled → draft (reject, reason required)
published → withdrawn (withdraw, reason required: the record and its history stay)
withdrawn → draft (reopen, to correct and submit again; the index number is kept)
"""

from typing import NamedTuple

from gongkai.org.permissions import EDIT_ROLES, REVIEW_ROLES

from .models import RecordStatus


class Transition(NamedTuple):
    name: str
    label: str
    source: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    needs_note: bool = False
    # The approver must be neither the submitter nor the author (separation of duties).
    second_person: bool = False


S = RecordStatus
TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition("submit", "提交审核", (S.DRAFT,), S.SUBMITTED, EDIT_ROLES),
        Transition(
            "approve", "审核通过并发布", (S.SUBMITTED,), S.PUBLISHED, REVIEW_ROLES,
            second_person=True,
        ),
        Transition(
            "schedule", "审核通过并定时发布", (S.SUBMITTED,), S.SCHEDULED, REVIEW_ROLES,
            second_person=True,
        ),
        Transition("unschedule", "取消定时发布", (S.SCHEDULED,), S.SUBMITTED, REVIEW_ROLES),
        Transition(
            "reject", "退回修改", (S.SUBMITTED, S.SCHEDULED), S.DRAFT, REVIEW_ROLES, True
        ),
        Transition("withdraw", "撤回", (S.PUBLISHED,), S.WITHDRAWN, REVIEW_ROLES, True),
        Transition("reopen", "重新编辑", (S.WITHDRAWN,), S.DRAFT, EDIT_ROLES),
    )
}  # fmt: skip


def allowed(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if status in t.source]
