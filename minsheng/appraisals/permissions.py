"""Who may do what in appraisals: one place. Services call `ensure()`; pages and the API ask `can()`.

- The staff of the organising congress (and of a congress whose region covers it; admins) manage an appraisal:
  rules, groups, contestants, judges, opening and closing the scoring, entering and importing scores, computing,
  publishing, correcting, grades.
- A judge scores only as themself (`appraisals.score` is asked with the Judge row): the services add that the
  group's scoring is open, the judge has not submitted it, the judge judges that group, the score is in range.
- Staff see who has submitted but not the judges' scores until the group's scoring is closed
  (`appraisals.view_scores` with the group).
- The public sees a published result only; staff see a computed one too.
"""

from minsheng.accounts.permissions import staff_covers
from minsheng.common.permissions import rule


def _congress(obj):
    return getattr(obj, "congress", obj)


@rule("appraisals.manage")
def can_manage(actor, appraisal_or_congress) -> bool:
    """Given an Appraisal, or a Congress for creating one."""
    return appraisal_or_congress is not None and staff_covers(actor, _congress(appraisal_or_congress))


@rule("appraisals.score")
def can_score(actor, judge) -> bool:
    """Only the judge's own user scores as that judge."""
    return bool(judge is not None and getattr(actor, "is_authenticated", False) and judge.user_id == actor.pk)


@rule("appraisals.view_submissions")
def can_view_submissions(actor, appraisal) -> bool:
    return can_manage(actor, appraisal)


@rule("appraisals.view_scores")
def can_view_scores(actor, group) -> bool:
    """The judges' scores of a group: staff, once the group's scoring is closed."""
    return group is not None and group.scoring == group.Scoring.CLOSED and can_manage(actor, group.appraisal)


@rule("appraisals.view_result")
def can_view_result(actor, appraisal) -> bool:
    if appraisal is None:
        return False
    if appraisal.status == appraisal.Status.PUBLISHED:
        return True
    return appraisal.status == appraisal.Status.COMPUTED and can_manage(actor, appraisal)
