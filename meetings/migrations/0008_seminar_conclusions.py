"""Every seminar that gave tasks gets its conclusion notice as a directive, which takes its
tasks: the notice's number, the seminar's organiser and title, dated its last cluster."""

from django.db import migrations
from django.db.models import Max


def conclusions(apps, schema_editor):
    Seminar = apps.get_model("meetings", "Seminar")
    Directive = apps.get_model("meetings", "Directive")
    DirectiveTask = apps.get_model("meetings", "DirectiveTask")
    HistoricalDirectiveTask = apps.get_model("meetings", "HistoricalDirectiveTask")
    with_tasks = Seminar.objects.filter(tasks__isnull=False).distinct()
    for seminar in with_tasks.annotate(last_day=Max("sessions__date")).iterator():
        directive = Directive.objects.create(
            district_id=seminar.district_id,
            kind="conclusion",
            number=seminar.notice_number,
            signed_on=seminar.last_day,
            issuer=seminar.organiser,
            title=seminar.title,
            seminar_id=seminar.pk,
        )
        DirectiveTask.objects.filter(seminar_id=seminar.pk).update(directive=directive)
        # The tasks' past versions keep their parent too.
        HistoricalDirectiveTask.objects.filter(seminar_id=seminar.pk).update(
            directive_id=directive.pk
        )


def back_to_seminars(apps, schema_editor):
    DirectiveTask = apps.get_model("meetings", "DirectiveTask")
    HistoricalDirectiveTask = apps.get_model("meetings", "HistoricalDirectiveTask")
    Directive = apps.get_model("meetings", "Directive")
    for directive in Directive.objects.filter(seminar__isnull=False).iterator():
        DirectiveTask.objects.filter(directive=directive).update(seminar_id=directive.seminar_id)
        HistoricalDirectiveTask.objects.filter(directive_id=directive.pk).update(
            seminar_id=directive.seminar_id
        )
    if DirectiveTask.objects.filter(seminar__isnull=True).exists():
        raise RuntimeError("Tasks of directives that are not a seminar's cannot go back.")


class Migration(migrations.Migration):
    dependencies = [("meetings", "0007_directives")]

    operations = [migrations.RunPython(conclusions, back_to_seminars)]
