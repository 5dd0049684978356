"""An average per commune is entered as a count: existing averages become counts.

"Bình quân 12 cộng tác viên/xã" (B.I.1, I.1.12.a) was entered by each district as its own average and
the province's figure was the mean of the districts' averages. It is now entered as a count (the
collaborators in the district's communes) and divided by communes (activities.OutputTarget,
PER_COMMUNE). So that stored figures keep their meaning, this migration switches every output target
stated per commune (aggregation "average", unit "…/xã") to "per_commune" and multiplies each district's
stored value by the number of its communes in the program's layout (the decision's date): an average
of 12 in a district of 13 communes becomes a count of 156. Each changed value gets a history record
("reporting 0007"). A provincial agency's value is left as it was: per-commune outputs are entered by
the districts only, and the figures read no other.
"""

from django.db import migrations
from django.db.models import Q
from django.utils import timezone

REASON = "reporting 0007: average per commune stored as a count"


def _communes(apps, program, district_id: int) -> int:
    AdminUnit = apps.get_model("programs", "AdminUnit")
    day = program.decision_date
    valid = (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    return AdminUnit.objects.filter(valid, parent_id=district_id).count()


def forwards(apps, schema_editor):
    OutputTarget = apps.get_model("activities", "OutputTarget")
    OutputProgress = apps.get_model("reporting", "OutputProgress")
    HistoricalOutputProgress = apps.get_model("reporting", "HistoricalOutputProgress")
    HistoricalOutputTarget = apps.get_model("activities", "HistoricalOutputTarget")
    now = timezone.now()
    for output in OutputTarget.objects.filter(aggregation="average", unit__endswith="/xã").select_related(
        "activity__group__program"
    ):
        program = output.activity.group.program
        output.aggregation = "per_commune"
        output.save(update_fields=["aggregation"])
        HistoricalOutputTarget.objects.create(
            id=output.pk, activity_id=output.activity_id, code=output.code, order=output.order, label=output.label,
            quantity=output.quantity, unit=output.unit, aggregation=output.aggregation, note=output.note,
            history_date=now, history_type="~", history_change_reason=REASON,
        )  # fmt: skip
        rows = OutputProgress.objects.filter(output=output, quantity__isnull=False, submission__agency__kind="district")
        for row in rows.select_related("submission__agency"):
            row.quantity = row.quantity * _communes(apps, program, row.submission.agency.unit_id)
            row.save(update_fields=["quantity"])
            HistoricalOutputProgress.objects.create(
                id=row.pk, submission_id=row.submission_id, output_id=row.output_id, quantity=row.quantity,
                history_date=now, history_type="~", history_change_reason=REASON,
            )  # fmt: skip


def backwards(apps, schema_editor):
    OutputTarget = apps.get_model("activities", "OutputTarget")
    OutputProgress = apps.get_model("reporting", "OutputProgress")
    for output in OutputTarget.objects.filter(aggregation="per_commune").select_related("activity__group__program"):
        program = output.activity.group.program
        rows = OutputProgress.objects.filter(output=output, quantity__isnull=False, submission__agency__kind="district")
        for row in rows.select_related("submission__agency"):
            communes = _communes(apps, program, row.submission.agency.unit_id) or 1
            row.quantity = round(row.quantity / communes)
            row.save(update_fields=["quantity"])
        output.aggregation = "average"
        output.save(update_fields=["aggregation"])


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0003_roles_source_per_commune"),
        ("reporting", "0006_commune_budget"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
