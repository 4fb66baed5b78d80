"""The review state machine of a catalog item: the table of allowed transitions.

draft → submitted (submit) → published (approve) → retired (retire)
submitted → draft (reject, with a reason); published → draft (revise: taken off
the public pages until approved again); retired → draft (reopen).
"""

from typing import NamedTuple

from gongkai.org.permissions import EDIT_ROLES, REVIEW_ROLES

from .models import ItemStatus


class Transition(NamedTuple):
    name: str
    label: str
    source: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    needs_note: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition("submit", "提交审核", (ItemStatus.DRAFT,), ItemStatus.SUBMITTED, EDIT_ROLES),
        Transition(
            "approve", "审核通过并发布", (ItemStatus.SUBMITTED,), ItemStatus.PUBLISHED, REVIEW_ROLES
        ),
        Transition(
            "reject", "退回修改", (ItemStatus.SUBMITTED,), ItemStatus.DRAFT, REVIEW_ROLES, True
        ),
        Transition(
            "revise", "撤回修改", (ItemStatus.PUBLISHED,), ItemStatus.DRAFT, EDIT_ROLES, True
        ),
        Transition(
            "retire", "停用", (ItemStatus.PUBLISHED,), ItemStatus.RETIRED, REVIEW_ROLES, True
        ),
        Transition("reopen", "重新启用", (ItemStatus.RETIRED,), ItemStatus.DRAFT, EDIT_ROLES),
    )
}


def allowed(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if status in t.source]
