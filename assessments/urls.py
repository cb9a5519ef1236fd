from __future__ import annotations

from django.urls import path

from assessments.views import advisor, respondent

urlpatterns = [
    path("engagements/<int:pk>/invite/", advisor.invite, name="invitation_send"),
    path(
        "engagements/<int:pk>/perspectives/invite/",
        advisor.invite_leader,
        name="perspective_invite",
    ),
    path(
        "engagements/<int:pk>/methodology/",
        advisor.move_methodology,
        name="methodology_move",
    ),
    path(
        "engagements/<int:pk>/invitations/<int:invitation_pk>/revoke/",
        advisor.revoke,
        name="invitation_revoke",
    ),
    path("engagements/<int:pk>/results/", advisor.results, name="assessment_results"),
    path("a/<str:token>/", respondent.welcome, name="questionnaire_welcome"),
    path("a/<str:token>/step/<slug:section>/", respondent.step, name="questionnaire_step"),
    path("a/<str:token>/save/", respondent.autosave, name="questionnaire_autosave"),
    path("a/<str:token>/review/", respondent.review, name="questionnaire_review"),
]
