"""The steps of a “Dân vận khéo” model's cycle: a ward registers and proposes; the level
above evaluates; the level with the right recognises (`teams.recognition`)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from teams.models import ExemplaryModel
from teams.recognition import recognition_refusal, right_of

from .models import CRITERIA, Evaluation, Evidence

Status = ExemplaryModel.Status


class StepRefused(Exception):
    """A step the model's state or the user's level does not allow; the message says why."""


def may_evaluate(user):
    """Evaluating is the level above the ward's work: those of a managing unit."""
    return right_of(user) != ExemplaryModel.Level.WARD


def _locked(model):
    return ExemplaryModel.objects.select_for_update().get(pk=model.pk)


@transaction.atomic
def propose(model, *, level):
    model = _locked(model)
    if model.status not in (Status.REGISTERED, Status.NOT_RECOGNISED):
        raise StepRefused(_("Only a registered model, or one not recognised, is proposed."))
    model.status, model.proposed_level = Status.PROPOSED, level
    model.save()
    return model


@transaction.atomic
def evaluate(model, *, scores, comment, recommended, user):
    model = _locked(model)
    if not may_evaluate(user):
        raise StepRefused(_("A model is evaluated by the level above the ward."))
    if model.status != Status.PROPOSED:
        raise StepRefused(_("Only a model proposed for recognition is evaluated."))
    evaluation = Evaluation.objects.create(
        exemplary_model=model,
        level=right_of(user),
        scores={key: scores[key] for key in CRITERIA},
        total=sum(scores[key] for key in CRITERIA),
        comment=comment,
        recommended=recommended,
        evaluated_on=timezone.localdate(),
        evaluated_by=user,
    )
    model.status = Status.EVALUATED if recommended else Status.NOT_RECOGNISED
    model.save()
    return evaluation


@transaction.atomic
def recognise(model, *, level, decision_number, decision_date, reward, user):
    model = _locked(model)
    refusal = recognition_refusal(user, level)
    if refusal:
        raise StepRefused(refusal)
    if level != ExemplaryModel.Level.WARD and model.status != Status.EVALUATED:
        raise StepRefused(
            _("Above the ward's level, a model is recognised once evaluated and recommended.")
        )
    if model.status == Status.RECOGNISED:
        raise StepRefused(_("This model is already recognised."))
    model.status, model.recognition_level = Status.RECOGNISED, level
    model.decision_number, model.decision_date, model.reward = (
        decision_number,
        decision_date,
        reward,
    )
    model.save()
    return model


def evidence_add(model, *, upload, facts, caption, user):
    """Keep an uploaded file as the model's evidence: `facts`, what `files.checked_upload`
    found in it (it refuses what may not be kept)."""
    return Evidence.objects.create(
        exemplary_model=model,
        file=upload,
        name=facts.name,
        kind=facts.kind,
        content_type=facts.content_type,
        size=facts.size,
        sha256=facts.sha256,
        caption=caption,
        uploaded_by=user,
    )
