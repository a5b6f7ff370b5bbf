"""Every write to a case: one function per step of the workflow, one module per state machine.

- `case.py`: the Case (collect, verify, file / withdraw / co-sign, review, feedback and closing, supervise,
  publish);
- `assignment.py`: the Assignment, a unit's part (assign, handle, reassignment, extensions, handling records,
  opinions, documents, the answer);
- `claim.py`: the Claim (the wish wall, claims and pledges, delivery, a wish the unit realises itself);
- `_base.py`: what they share (the locks, the day, amounts, the check of an uploaded file).

Each service locks the case row before reading the state it decides on — the case first, then its parts
(assignments, claims, requests), in that order everywhere, so two services never wait on each other —, asks
`actions.check` whether the actor may take this action now (the same answer the page and the API show),
moves the state through `Case.TRANSITIONS` (`move_to`), writes its audit record in the same transaction and
enqueues jobs on commit. `from minsheng.cases import services; services.case_assign(...)` reaches them all.
"""

from ._base import MAX_UPLOAD_BYTES, check_upload
from .assignment import (
    answer_submit,
    assignment_acknowledge,
    assignment_request_reassignment,
    assisting_opinion_send,
    case_assign,
    document_add,
    extension_decide,
    extension_request,
    handling_record_add,
    reassignment_decide,
)
from .case import (
    PUBLISHABLE,
    case_accept,
    case_close,
    case_close_unrated,
    case_create,
    case_file,
    case_mark_priority,
    case_merge,
    case_publish,
    case_refuse,
    case_return,
    case_update,
    case_verify,
    case_withdraw,
    cosign_respond,
    follow_up_record,
    rating_submit,
    supervision_record,
)
from .claim import (
    claim_confirm,
    claim_create,
    claim_deliver,
    claim_withdraw,
    wish_fulfil_by_unit,
    wish_put_on_wall,
)

__all__ = [
    "MAX_UPLOAD_BYTES",
    "PUBLISHABLE",
    "answer_submit",
    "assignment_acknowledge",
    "assignment_request_reassignment",
    "assisting_opinion_send",
    "case_accept",
    "case_assign",
    "case_close",
    "case_close_unrated",
    "case_create",
    "case_file",
    "case_mark_priority",
    "case_merge",
    "case_publish",
    "case_refuse",
    "case_return",
    "case_update",
    "case_verify",
    "case_withdraw",
    "check_upload",
    "claim_confirm",
    "claim_create",
    "claim_deliver",
    "claim_withdraw",
    "cosign_respond",
    "document_add",
    "extension_decide",
    "extension_request",
    "follow_up_record",
    "handling_record_add",
    "rating_submit",
    "reassignment_decide",
    "supervision_record",
    "wish_fulfil_by_unit",
    "wish_put_on_wall",
]
