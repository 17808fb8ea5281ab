"""The admin's imports and exports of a model with an importer (`imports.importer_for`):
the upload, the background check and its preview, the confirmation, the empty template to
fill in; exports in formats that never write a formula."""

from pathlib import PurePath

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportModelAdmin
from import_export.forms import SelectableFieldsExportForm

from .imports import importer_for
from .models import ImportJob
from .pages import XLSX
from .signals import data_exported
from .tables import MAX_BYTES, SafeCSV, SafeXLSX
from .tasks import run_import
from .text import slug


class ExportForm(SelectableFieldsExportForm):
    def _get_field_label(self, resource, field_name):
        """A column as the file names it (“Mã phường”), not “Ward Code (Mã phường)”."""
        field = resource.fields.get(field_name)
        return field.column_name if field else super()._get_field_label(resource, field_name)

    class Media:
        # Replaces the inline onchange handler of django-import-export's template, which
        # the Content-Security-Policy blocks.
        js = ["js/export_select_all.js"]


class ImportFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("Excel (.xlsx) or CSV (UTF-8, UTF-16 or Windows-1258)."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s MB; files of up to %(limit)s MB are accepted.")
                % {"size": round(upload.size / 2**20, 1), "limit": MAX_BYTES // 2**20}
            )
        if PurePath(upload.name).suffix.lower() not in (".xlsx", ".csv"):
            raise forms.ValidationError(_("Send an Excel file (.xlsx) or a CSV file (.csv)."))
        return upload


class ConfirmImportForm(forms.Form):
    job = forms.UUIDField(widget=forms.HiddenInput)


class JobImportExportAdmin(ImportExportModelAdmin):
    """Exports are logged (`signals.data_exported`). Imports replace django-import-export's
    own: the file is stored, checked by a background worker with the model's importer
    (`imports.importer_for`) as the user (whose scope the importer keeps to), shown as a
    preview, and imported on confirmation; the import is logged (`imports.import_file`)."""

    export_form_class = ExportForm
    # Exports never write a cell a spreadsheet would run as a formula.
    export_formats = [SafeXLSX, SafeCSV]

    @property
    def importer_class(self):
        return importer_for(self.model)

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {**super().get_resource_kwargs(request, *args, **kwargs), "user": request.user}

    def get_urls(self):
        prefix = "{}_{}".format(*self.get_model_info())
        return [
            path(
                "import/template/",
                self.admin_site.admin_view(self.import_template),
                name=f"{prefix}_import_template",
            ),
            path(
                "import/<uuid:job_id>/",
                self.admin_site.admin_view(self.import_job),
                name=f"{prefix}_import_job",
            ),
            *super().get_urls(),
        ]

    def import_context(self, request, **context):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import %(records)s") % {"records": self.opts.verbose_name_plural},
            "importer": self.importer_class(user=request.user),
            **context,
        }

    def import_action(self, request, **kwargs):
        """Upload a file; a worker checks it and the job's page shows the preview."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = ImportFileForm(request.POST or None, request.FILES or None)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            job = ImportJob.objects.create(
                importer=self.importer_class.name,
                file=upload,
                file_name=PurePath(upload.name).name[:255],
                user=request.user,
            )
            run_import.enqueue(str(job.pk), False)
            return redirect(self.job_url(job))
        return TemplateResponse(
            request, "admin/import_upload.html", self.import_context(request, form=form)
        )

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        """Confirm a checked file without errors: a worker imports it."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = ConfirmImportForm(request.POST)
        if not form.is_valid():
            raise Http404(_("No such import, or it is not yours."))
        jobs = ImportJob.objects.visible_to(request.user).filter(importer=self.importer_class.name)
        job = get_object_or_404(jobs, pk=form.cleaned_data["job"])
        if job.status != ImportJob.Status.CHECKED or job.result["error_rows"]:
            messages.error(request, _("Only a checked file without errors can be imported."))
            return redirect(self.job_url(job))
        updated = jobs.filter(pk=job.pk, status=ImportJob.Status.CHECKED).update(
            status=ImportJob.Status.IMPORTING, rows_done=0
        )
        if updated:  # not already confirmed by another click
            run_import.enqueue(str(job.pk), True)
        return redirect(self.job_url(job))

    def job_url(self, job):
        app_label, model_name = self.get_model_info()
        return reverse(f"admin:{app_label}_{model_name}_import_job", args=[job.pk])

    def import_job(self, request, job_id):
        """The job's progress, then its preview (what each row would do, row errors) or its
        outcome; the page reloads itself while a worker is on it."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        job = get_object_or_404(
            ImportJob.objects.visible_to(request.user).filter(importer=self.importer_class.name),
            pk=job_id,
        )
        return TemplateResponse(
            request,
            "admin/import_job.html",
            self.import_context(
                request, job=job, confirm_form=ConfirmImportForm(initial={"job": job.pk})
            ),
        )

    def import_template(self, request):
        """An empty file to fill in: the columns, an example row, and a sheet of notes."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        importer = self.importer_class(user=request.user)
        response = HttpResponse(importer.template(), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="mau-{self.opts.model_name}.xlsx"'
        return response

    def get_export_filename(self, request, queryset, file_format):
        """“thanh-vien-to-dan-van-2026-11-30.xlsx”: the records' name, not the model's."""
        name = slug(str(self.opts.verbose_name_plural))
        return f"{name}-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"

    def get_export_data(self, file_format, request, queryset, **kwargs):
        data = super().get_export_data(file_format, request, queryset, **kwargs)
        data_exported.send(
            sender=self.model,
            request=request,
            detail=_("%(records)s: %(count)d rows")
            % {"records": self.model._meta.verbose_name_plural, "count": queryset.count()},
        )
        return data
