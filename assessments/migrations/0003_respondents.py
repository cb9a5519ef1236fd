"""Assessments per respondent: the CEO's and other leaders' perspectives (methodology 2026.2).

Engagements opened before this change keep methodology cto-caio-2026.1, including those whose
CEO has not started yet (they get their CEO assessment now, on 2026.1); the advisor moves them
to 2026.2 when ready. Every existing link opens its engagement's CEO assessment.
"""

import django.db.models.deletion
from django.db import migrations, models

PREVIOUS_METHODOLOGY = "cto-caio-2026.1"
# The required questions of questionnaire version 1, the one every existing assessment used.
QUESTIONNAIRE_1_REQUIRED = 35


def ceo_assessments_for_every_engagement(apps, schema_editor):
    Engagement = apps.get_model("advisory", "Engagement")
    Assessment = apps.get_model("assessments", "Assessment")
    Invitation = apps.get_model("assessments", "Invitation")
    with_one = Assessment.objects.values("engagement_id")
    Assessment.objects.bulk_create(
        Assessment(
            engagement_id=engagement_id,
            respondent="ceo",
            methodology_version=PREVIOUS_METHODOLOGY,
            questionnaire_version=1,
            required_count=QUESTIONNAIRE_1_REQUIRED,
        )
        for engagement_id in Engagement.objects.exclude(pk__in=with_one).values_list(
            "pk", flat=True
        )
    )
    ceo = dict(Assessment.objects.values_list("engagement_id", "pk"))
    for invitation in Invitation.objects.all():
        invitation.assessment_id = ceo[invitation.engagement_id]
        invitation.save(update_fields=["assessment"])


class Migration(migrations.Migration):
    dependencies = [
        ("advisory", "0004_person_leader_roles"),
        ("assessments", "0002_invitation_request_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="methodology_version",
            field=models.CharField(default=PREVIOUS_METHODOLOGY, max_length=40),
        ),
        migrations.AlterField(
            model_name="assessment",
            name="methodology_version",
            field=models.CharField(default="cto-caio-2026.2", max_length=40),
        ),
        migrations.AddField(
            model_name="assessment",
            name="respondent",
            field=models.CharField(
                choices=[
                    ("ceo", "CEO"),
                    ("cto", "CTO"),
                    ("cfo", "CFO"),
                    ("coo", "COO"),
                    ("product", "Head of product"),
                    ("board", "Board member"),
                    ("other", "Other leader"),
                ],
                default="ceo",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="assessment",
            name="person",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="assessments",
                to="advisory.person",
            ),
        ),
        migrations.AlterField(
            model_name="assessment",
            name="engagement",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="assessments",
                to="advisory.engagement",
            ),
        ),
        migrations.AddField(
            model_name="invitation",
            name="assessment",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="invitations",
                to="assessments.assessment",
            ),
        ),
        migrations.RunPython(ceo_assessments_for_every_engagement, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="invitation",
            name="assessment",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="invitations",
                to="assessments.assessment",
            ),
        ),
        migrations.AddConstraint(
            model_name="assessment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("respondent", "ceo")),
                fields=("engagement",),
                name="one_ceo_assessment_per_engagement",
            ),
        ),
        migrations.AddConstraint(
            model_name="assessment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("respondent", "ceo"), _negated=True),
                fields=("engagement", "person"),
                name="one_perspective_per_leader",
            ),
        ),
    ]
