"""Who may recognise a “Dân vận khéo” model at which level: the one rule that the model's
page (`awards.services`), the admin and the imports ask. A ward registers and proposes;
it recognises at its own level at most. Those of a managing unit recognise at the unit's
level (a district's, a city's) at most."""

from django.utils.translation import gettext as _

from wards.models import District

from .models import ExemplaryModel

Level = ExemplaryModel.Level
LEVELS = list(Level)  # from the lowest
UNIT_LEVELS = {
    District.Kind.CITY: Level.CITY,
    District.Kind.WARD: Level.WARD,
    District.Kind.COMMUNE: Level.WARD,
}


def right_of(user):
    """The highest level at which `user` may recognise a model: any for a superuser; the
    level of the managing unit one works for; a ward's for an officer of wards."""
    if user is None or user.is_superuser:  # a command run without a user: the operator
        return Level.CITY
    if user.district_id:
        return UNIT_LEVELS.get(user.district.kind, Level.DISTRICT)
    return Level.WARD


def levels_up_to(level):
    return LEVELS[: LEVELS.index(level) + 1]


def recognition_refusal(user, level):
    """Why `user` may not recognise a model at `level`, or None when they may."""
    if level in levels_up_to(right_of(user)):
        return None
    return _(
        "Recognition at the %(level)s is decided by that level: you may recognise at most "
        "at the %(right)s."
    ) % {"level": Level(level).label.lower(), "right": Level(right_of(user)).label.lower()}
