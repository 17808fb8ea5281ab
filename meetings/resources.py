"""Excel/CSV import and export of the wards' progress reports, keyed on the ward, the title
of the directive that gave the task (a seminar's conclusion: the seminar's title), the
task's number and the period."""

from import_export import fields, widgets

from core.resources import NaturalKeyResource, choice_field, count_field, date_field, text_field
from wards.resources import WARD_CODE

from .models import ProgressReport, TaskAssignment

DIRECTIVE_TITLE = "Văn bản giao nhiệm vụ"
TASK_NUMBER = "Nhiệm vụ số"


class ProgressReportResource(NaturalKeyResource):
    ward_code = fields.Field(
        attribute=f"{ProgressReport.ward_path}__code", column_name=WARD_CODE, readonly=True
    )
    directive = fields.Field(
        attribute="assignment__task__directive__title",
        column_name=DIRECTIVE_TITLE,
        readonly=True,
    )
    assignment = fields.Field(
        attribute="assignment",
        column_name=TASK_NUMBER,
        widget=widgets.ForeignKeyWidget(TaskAssignment, field="task__number"),
    )
    period_start = date_field("period_start", "Từ ngày")
    period_end = date_field("period_end", "Đến ngày")
    status = choice_field("status", "Tình trạng", ProgressReport.Status)
    percent = count_field("percent", "Tỷ lệ hoàn thành (%)")
    narrative = text_field("narrative", "Kết quả thực hiện")

    class Meta(NaturalKeyResource.Meta):
        model = ProgressReport
        fields = [
            "ward_code",
            "directive",
            "assignment",
            "period_start",
            "period_end",
            "status",
            "percent",
            "narrative",
        ]
        import_id_fields = ["assignment", "period_start", "period_end"]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related(ProgressReport.ward_path, "assignment__task__directive")
        )
