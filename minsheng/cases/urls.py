"""URLs of the case pages (under /cases/). The wish wall and the published answers need no sign-in."""

from django.urls import path

from .views import detail, lists, printing, public, record

app_name = "cases"


def action(route: str, name: str):
    """A POST action of the case page: its own URL and name, one dispatcher (views.detail.case_action)."""
    return path(route, detail.case_action, {"action": name}, name=name)


urlpatterns = [
    path("", lists.case_list, name="list"),
    path("new/", record.case_create, name="create"),
    path("new/places/", record.place_options, name="place_options"),
    path("inbox/", lists.inbox, name="inbox"),
    path("claims/", lists.claims, name="claims"),
    path("my-work/", lists.my_work, name="my_work"),
    path("cosignings/", lists.cosignings, name="cosignings"),
    path("priority/", lists.priority_list, name="priority_list"),
    path("priority/export/", lists.priority_list_export, name="priority_list_export"),
    path("priority/pdf/", lists.priority_list_pdf, name="priority_list_pdf"),
    # public
    path("wall/", public.wall, name="wall"),
    path("wall/<int:pk>/", public.wall_detail, name="wall_detail"),
    path("wall/<int:pk>/claim/", public.claim, name="claim"),
    path("answers/", public.answers, name="answers"),
    path("answers/<int:pk>/", public.answer_public, name="answer_public"),
    # one case
    path("<int:pk>/", detail.case_detail, name="detail"),
    path("<int:pk>/edit/", record.case_edit, name="edit"),
    path("<int:pk>/documents/<int:doc_id>/", detail.document, name="document"),
    path("<int:pk>/print/<slug:document>.pdf", printing.case_print, name="print"),
    action("<int:pk>/verify/", "verify"),
    action("<int:pk>/file/", "file"),
    action("<int:pk>/withdraw/", "withdraw"),
    action("<int:pk>/accept/", "accept"),
    action("<int:pk>/refuse/", "refuse"),
    action("<int:pk>/return/", "return"),
    action("<int:pk>/merge/", "merge"),
    action("<int:pk>/assign/", "assign"),
    action("<int:pk>/upload/", "upload"),
    action("<int:pk>/rate/", "rate"),
    action("<int:pk>/close/", "close"),
    action("<int:pk>/close-unrated/", "close_unrated"),
    action("<int:pk>/follow-up/", "follow_up"),
    action("<int:pk>/priority/", "priority"),
    action("<int:pk>/cosign/confirm/", "cosign_confirm"),
    action("<int:pk>/cosign/decline/", "cosign_decline"),
    action("<int:pk>/supervise/", "supervise"),
    action("<int:pk>/publish/", "publish"),
    action("<int:pk>/wall/", "put_on_wall"),
    action("<int:pk>/assignments/<int:obj_id>/acknowledge/", "acknowledge"),
    action("<int:pk>/assignments/<int:obj_id>/reassignment/", "request_reassignment"),
    action("<int:pk>/assignments/<int:obj_id>/record/", "record"),
    action("<int:pk>/assignments/<int:obj_id>/opinion/", "opinion"),
    action("<int:pk>/assignments/<int:obj_id>/answer/", "answer"),
    action("<int:pk>/assignments/<int:obj_id>/extension/", "request_extension"),
    action("<int:pk>/assignments/<int:obj_id>/fulfil/", "fulfil_wish"),
    action("<int:pk>/extension-requests/<int:obj_id>/decide/", "decide_extension"),
    action("<int:pk>/reassignment-requests/<int:obj_id>/decide/", "decide_reassignment"),
    action("<int:pk>/claims/<int:obj_id>/withdraw/", "claim_withdraw"),
    action("<int:pk>/claims/<int:obj_id>/deliver/", "deliver"),
    action("<int:pk>/claims/<int:obj_id>/confirm/", "confirm_delivery"),
]
