from __future__ import annotations

from django.urls import path

from reports.views import advisor, board

urlpatterns = [
    path("engagements/<int:pk>/memos/request/", advisor.request_memo, name="memo_request"),
    path("engagements/<int:pk>/memos/status/", advisor.status, name="memo_status"),
    path("memos/<int:pk>/preview/", advisor.preview, name="memo_preview"),
    path("memos/<int:pk>/preview/memo/", advisor.preview_document, name="memo_preview_document"),
    path("memos/<int:pk>/pdf/", advisor.download, name="memo_pdf"),
    path("memos/<int:pk>/retry/", advisor.retry, name="memo_retry"),
    path("memos/<int:pk>/revise/", advisor.revise, name="memo_revise"),
    path("memos/<int:pk>/approve/", advisor.approve, name="memo_approve"),
    path("memos/<int:pk>/send/", advisor.send, name="memo_send"),
    path(
        "memos/<int:pk>/send/email-preview/",
        advisor.send_email_preview,
        name="memo_send_email_preview",
    ),
    path("deliveries/<int:pk>/revoke/", advisor.revoke, name="delivery_revoke"),
    path("m/<str:token>/", board.memo_download, name="memo_download"),
]
