"""Each commune's budget on its CommuneStatus; the typed communes' total kept aside, read by nothing.

Before this migration a district typed one total for its communes (Submission.communes_budget). The
decision's floor is per commune ("Cấp xã thấp nhất 20 triệu/xã/năm", VII.2), so a district now reports
each commune's allocation and the total is their sum. A typed total cannot be split into communes
without inventing figures, so none is: the column is renamed `communes_budget_typed` (its history with
it), no form or figure reads it, and a report that had only a total shows its communes' budget as not
reported ("chưa báo cáo") until the district enters them. The targets 5–6 confirmation
(`communes_checked`) starts unset: a district that ticked a commune for an indicator still counts as
having reported it.
"""

from django.db import migrations, models

TYPED = "tổng kinh phí cấp xã đã nhập trước khi nhập theo từng xã (đồng)"


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0005_reportversion_moved_to_documents"),
    ]

    operations = [
        migrations.RenameField(model_name="submission", old_name="communes_budget", new_name="communes_budget_typed"),
        migrations.RenameField(
            model_name="historicalsubmission", old_name="communes_budget", new_name="communes_budget_typed"
        ),
        migrations.AlterField(
            model_name="submission",
            name="communes_budget_typed",
            field=models.PositiveBigIntegerField(blank=True, editable=False, null=True, verbose_name=TYPED),
        ),
        migrations.AlterField(
            model_name="historicalsubmission",
            name="communes_budget_typed",
            field=models.PositiveBigIntegerField(blank=True, editable=False, null=True, verbose_name=TYPED),
        ),
        migrations.AddField(
            model_name="communestatus",
            name="budget",
            field=models.PositiveBigIntegerField(
                blank=True, null=True, verbose_name="kinh phí bố trí cho xã trong năm (đồng)"
            ),
        ),
        migrations.AddField(
            model_name="historicalcommunestatus",
            name="budget",
            field=models.PositiveBigIntegerField(
                blank=True, null=True, verbose_name="kinh phí bố trí cho xã trong năm (đồng)"
            ),
        ),
        migrations.AddField(
            model_name="historicalsubmission",
            name="communes_checked",
            field=models.BooleanField(default=False, verbose_name="đã rà soát tất cả các xã"),
        ),
        migrations.AddField(
            model_name="submission",
            name="communes_checked",
            field=models.BooleanField(default=False, verbose_name="đã rà soát tất cả các xã"),
        ),
    ]
