"""How a unit is named on a page about a period: with the part of the period it existed, when
a reorganisation began or ended it within the period (“đến 30/6/2025”, “từ 1/7/2025”)."""

from django import template

register = template.Library()


@register.filter
def lifespan_in(unit, period):
    """`Lifespan.lifespan_in`, for templates."""
    return unit.lifespan_in(period)
