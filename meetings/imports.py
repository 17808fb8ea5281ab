"""Bulk import of the wards' progress reports (see `core.imports`): a row names its task by
the ward's code, the title of the directive that gave it and the task's number."""

from django.utils.translation import gettext_lazy

from core.imports import AMBIGUOUS, Importer, Relation, code_variants, register
from wards.models import Ward
from wards.resources import WARD_CODE

from .models import TaskAssignment
from .resources import DIRECTIVE_TITLE, TASK_NUMBER, ProgressReportResource


def assignments_by_names(user, keys):
    """{(ward code, directive title, task number): assignment} among those given to the wards
    `user` may change (a ward reports on its tasks; the directive's unit owns them)."""
    assignments = TaskAssignment.objects.filter(
        ward__code__in=code_variants(ward for ward, _title, _number in keys),
        task__directive__title__in={title for _ward, title, _number in keys},
    ).select_related("ward", "task__directive")
    if user is not None:
        assignments = assignments.visible_to(user).filter(ward__in=Ward.objects.managed_by(user))
    found = {}
    for a in assignments:
        key = (a.ward.code, a.task.directive.title, str(a.task.number))
        # Two directives of one title that gave the ward a task of one number.
        found[key] = AMBIGUOUS if key in found else a
    return found


@register("progress")
class ProgressReportImporter(Importer):
    resource_class = ProgressReportResource
    example = {
        WARD_CODE: "00115",
        DIRECTIVE_TITLE: "Nâng cao chất lượng hoạt động của tổ dân vận ở tổ dân phố",
        TASK_NUMBER: 2,
        "Từ ngày": "01/10/2019",
        "Đến ngày": "31/12/2019",
        "Tình trạng": "Đang thực hiện",
        "Tỷ lệ hoàn thành (%)": 60,
        "Kết quả thực hiện": "Đã mở 2 lớp tập huấn cho tổ trưởng tổ dân vận.",
    }
    relations = (
        Relation(
            "assignment",
            (WARD_CODE, DIRECTIVE_TITLE, TASK_NUMBER),
            assignments_by_names,
            gettext_lazy(
                "No task number %(2)s of “%(1)s” is given to a ward you may change with the "
                "code “%(0)s”."
            ),
        ),
    )

    def read(self, *args):
        records = super().read(*args)
        for record in records:
            record.values["reported_by"] = self.user
        return records
