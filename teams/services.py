"""Writes of the workspace."""

from django.db import transaction

from .models import CitizenFeedback, FeedbackStep


@transaction.atomic
def record_save(*, form, user):
    """Save a validated workspace form (a member, an activity, a feedback); a feedback's
    forwarding or resolution set on its form goes into its follow-up log too."""
    if not isinstance(form.instance, CitizenFeedback):
        return form.save()
    # The form has already set its values on the instance: the stored ones are read.
    pk = form.instance.pk
    before = CitizenFeedback.objects.get(pk=pk) if pk else None
    feedback = form.save()
    FeedbackStep.objects.bulk_create(implied_steps(before, feedback, user=user))
    return feedback


def implied_steps(before, feedback, *, user):
    """The follow-up steps that a feedback's fields set directly (on its form, or by an
    import) say were taken: forwarded to another body, resolved. `before`: the feedback as
    it was stored, None for a new one."""
    Status = CitizenFeedback.Status
    steps = []
    forwarded = (feedback.forwarded_to, feedback.forwarded_on)
    was_forwarded = (before.forwarded_to, before.forwarded_on) if before else ("", None)
    if feedback.status != Status.NEW and feedback.forwarded_to and forwarded != was_forwarded:
        steps.append(
            FeedbackStep(
                feedback=feedback,
                kind=FeedbackStep.Kind.FORWARDED,
                date=feedback.forwarded_on or feedback.received_on,
                party=feedback.forwarded_to,
                recorded_by=user,
            )
        )
    if feedback.answered_on and feedback.answered_on != (before and before.answered_on):
        steps.append(
            FeedbackStep(
                feedback=feedback,
                kind=FeedbackStep.Kind.ANSWERED,
                date=feedback.answered_on,
                party=feedback.forwarded_to,
                recorded_by=user,
            )
        )
    if feedback.status == Status.RESOLVED and (before is None or before.status != Status.RESOLVED):
        steps.append(
            FeedbackStep(
                feedback=feedback,
                kind=FeedbackStep.Kind.RESOLVED,
                date=feedback.resolved_on,
                recorded_by=user,
            )
        )
    return steps


@transaction.atomic
def feedback_step_add(*, feedback, kind, date, party="", note="", user):
    """Add a step to a feedback's follow-up log and bring the feedback's state to it: a
    forwarding names the body and starts the wait for its answer; an answer ends that wait;
    a resolution closes the item. The feedback is locked meanwhile, so that two officers'
    steps are applied one after the other."""
    feedback = CitizenFeedback.objects.select_for_update().get(pk=feedback.pk)
    step = FeedbackStep.objects.create(
        feedback=feedback, kind=kind, date=date, party=party, note=note, recorded_by=user
    )
    Kind, Status = FeedbackStep.Kind, CitizenFeedback.Status
    if kind == Kind.FORWARDED:
        if feedback.status == Status.NEW:
            feedback.status = Status.FORWARDED
        feedback.forwarded_to, feedback.forwarded_on, feedback.answered_on = party, date, None
    elif kind == Kind.ANSWERED:
        feedback.answered_on = date
    elif kind == Kind.RESOLVED:
        feedback.status, feedback.resolved_on = Status.RESOLVED, date
    feedback.save()
    return step


@transaction.atomic
def record_delete(*, record):
    """Delete a workspace record. A member's seat goes; their person stays, with their other
    roles and the trainings they attended."""
    record.delete()
