"""URLs of the case pages (under /cases/). The wish wall and the published answers need no sign-in."""

from django.urls import path

from . import views

app_name = "cases"


def action(route: str, name: str):
    """A POST action of the case page: its own URL and name, one dispatcher (views.case_action)."""
    return path(route, views.case_action, {"action": name}, name=name)


urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("new/places/", views.place_options, name="place_options"),
    path("inbox/", views.inbox, name="inbox"),
    path("claims/", views.claims, name="claims"),
    path("my-work/", views.my_work, name="my_work"),
    path("cosignings/", views.cosignings, name="cosignings"),
    path("priority/", views.priority_list, name="priority_list"),
    path("priority/export/", views.priority_list_export, name="priority_list_export"),
    path("priority/pdf/", views.priority_list_pdf, name="priority_list_pdf"),
    # public
    path("wall/", views.wall, name="wall"),
    path("wall/<int:pk>/", views.wall_detail, name="wall_detail"),
    path("wall/<int:pk>/claim/", views.claim, name="claim"),
    path("answers/", views.answers, name="answers"),
    path("answers/<int:pk>/", views.answer_public, name="answer_public"),
    # one case
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/edit/", views.case_edit, name="edit"),
    path("<int:pk>/documents/<int:doc_id>/", views.document, name="document"),
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
