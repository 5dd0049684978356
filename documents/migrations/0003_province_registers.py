"""Each province keeps its own register of documents and numbers its own documents (provinces are separate
tenants): the registers and issued versions so far are the province's whose program they belong to, a
register without one the installation's (PORTAL_PROVINCE_CODE)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill_provinces(apps, schema_editor):
    AdminUnit = apps.get_model("programs", "AdminUnit")
    Register = apps.get_model("documents", "DocumentRegister")
    Version = apps.get_model("documents", "ReportVersion")
    for version in Version.objects.filter(doc_number__isnull=False).select_related("report__program"):
        version.doc_province_id = version.report.program.province_id
        version.save(update_fields=["doc_province"])
    home = AdminUnit.objects.filter(code=settings.PORTAL_PROVINCE_CODE).first()
    home = home or AdminUnit.objects.filter(programs__isnull=False).first()
    if home is None:
        Register.objects.all().delete()  # no province, so no document was ever issued from it
    else:
        Register.objects.filter(province__isnull=True).update(province=home)


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0002_draft_issue_register'),
        ('programs', '0003_decision_calendar'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='documentregister',
            name='documentregister_unique_year_kind',
        ),
        migrations.RemoveConstraint(
            model_name='reportversion',
            name='reportversion_unique_doc_number',
        ),
        migrations.AddField(
            model_name='documentregister',
            name='province',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='programs.adminunit', verbose_name='tỉnh'),
        ),
        migrations.AddField(
            model_name='historicaldocumentregister',
            name='province',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='programs.adminunit', verbose_name='tỉnh'),
        ),
        migrations.AddField(
            model_name='historicalreportversion',
            name='doc_province',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='programs.adminunit', verbose_name='tỉnh ban hành'),
        ),
        migrations.AddField(
            model_name='reportversion',
            name='doc_province',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='programs.adminunit', verbose_name='tỉnh ban hành'),
        ),
        migrations.RunPython(fill_provinces, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='documentregister',
            name='province',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='programs.adminunit', verbose_name='tỉnh'),
        ),
        migrations.AddConstraint(
            model_name='documentregister',
            constraint=models.UniqueConstraint(fields=('province', 'year', 'kind'), name='documentregister_unique_year_kind'),
        ),
        migrations.AddConstraint(
            model_name='reportversion',
            constraint=models.UniqueConstraint(fields=('doc_province', 'doc_year', 'doc_number'), name='reportversion_unique_doc_number'),
        ),
        migrations.RemoveConstraint(
            model_name='reportversion',
            name='reportversion_issued_is_complete',
        ),
        migrations.AddConstraint(
            model_name='reportversion',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('doc_number__isnull', True), ('issued_at__isnull', True)), models.Q(('doc_number__isnull', False), ('doc_province__isnull', False), ('doc_year__isnull', False), ('issued_at__isnull', False), ('issued_on__isnull', False), ('status', 'done'), models.Q(('issued_pdf_sha256', ''), _negated=True), models.Q(('issued_xlsx_sha256', ''), _negated=True)), _connector='OR'), name='reportversion_issued_is_complete'),
        ),
    ]
