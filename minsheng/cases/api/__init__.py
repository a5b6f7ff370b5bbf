"""REST API of cases (微心愿, 民生微实事, 代表建议): every step of the workflow, the wish wall and the published
answers.

- /api/v1/cases/: the caller's cases (scoped like the pages: another congress's or unit's case answers 404),
  create, the case page, PATCH of a draft and one POST sub-route per workflow step; each step calls its
  service and answers with the updated case.
- /api/v1/assignments/: a unit's inbox and its steps (签收, 办理, 协办意见, 申请调整, 答复).
- /api/v1/reassignment-requests/: staff decide a unit's request to be relieved of a case.
- /api/v1/extension-requests/: staff grant or refuse a unit's request for a later answer date (延期).
- /api/v1/cases/priority-list/?year=: the year's 重点督办 decisions of the 主任会议 (staff).
- /api/v1/claims/: a donor's claims and pledges (create, withdraw, deliver with photos, confirm).
- /api/v1/case-documents/: a file's metadata and its download, checked against the caller.
- /api/v1/wall/ and /api/v1/answers/: public, without sign-in; nothing that identifies a family.

Errors: 400 for bad input (`{"detail", "code", "field"}` from the services, or the serializer's field errors),
403 when the caller may see the object but not do this, 404 outside the caller's scope, 409 for an illegal
move (nothing is changed).

One module per state machine: `case.py` (cases, case documents, published answers), `assignment.py`
(assignments and the units' requests), `claim.py` (claims and the wall); `_base.py` what they share. `routes`
is what `minsheng/urls.py` registers.
"""

from .assignment import AssignmentViewSet, ExtensionRequestViewSet, ReassignmentRequestViewSet
from .case import CaseViewSet, DocumentViewSet, PublishedAnswerViewSet
from .claim import ClaimViewSet, WallViewSet

routes = [
    ("cases", CaseViewSet, "case"),
    ("assignments", AssignmentViewSet, "assignment"),
    ("reassignment-requests", ReassignmentRequestViewSet, "reassignment-request"),
    ("extension-requests", ExtensionRequestViewSet, "extension-request"),
    ("claims", ClaimViewSet, "claim"),
    ("case-documents", DocumentViewSet, "case-document"),
    ("wall", WallViewSet, "wall"),
    ("answers", PublishedAnswerViewSet, "published-answer"),
]
