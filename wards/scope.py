"""Who may see which ward: the one place that decides it.

A user sees the wards of the managing unit they work for (`User.district`: district staff,
viewers, administrators) and the wards they serve (`User.wards`: ward officers). Superusers
see everything; anonymous and inactive users nothing. Every scoped model's default manager
has `visible_to(user)`, built on `visible_wards()`, and every view, admin class, import,
export and PDF lists rows through it. What a user may *do* with the rows they see is decided
by their role's permissions (`roles.py`).
"""

from django.apps import apps
from django.db import models, transaction
from django.db.models import Q

from .signals import notify_written, writes_batched


def visible_wards(user):
    """The wards whose records `user` may see."""
    Ward = apps.get_model("wards", "Ward")
    if not is_active_user(user):
        return Ward.objects.none()
    if user.is_superuser:
        return Ward.objects.all()
    return Ward.objects.filter(Q(district_id=user.district_id) | Q(pk__in=user.wards.values("pk")))


def works_for_a_unit(user):
    """Whether `user` works for a managing unit as a whole (district staff, viewers,
    administrators, superusers) and may see its dashboards; ward officers do not."""
    return is_active_user(user) and (user.is_superuser or user.district_id is not None)


def is_active_user(user):
    return user.is_authenticated and user.is_active


class ScopedQuerySet(models.QuerySet):
    """Rows that belong to wards, to a managing unit as a whole, or to a scoped parent.

    - `ward_paths`: lookups from the model to a ward ("" for the Ward model itself); a row is
      visible when any of them reaches a visible ward;
    - `district_path`: the lookup to the managing unit of rows that belong to it as a whole
      (a district-level training): visible to the users who work for that unit;
    - `parent_path`: the lookup to a parent whose own scope decides (a seminar's clusters).
    """

    ward_paths = ()
    district_path = None
    parent_path = None

    def visible_to(self, user):
        if not is_active_user(user):
            return self.none()
        if user.is_superuser:
            return self.all()
        if self.parent_path:
            parent = related_model(self.model, self.parent_path)
            return self.filter(
                **{f"{self.parent_path}__in": parent._default_manager.visible_to(user)}
            )
        wards = visible_wards(user)
        condition = Q()
        for path in self.ward_paths:
            lookup = f"{path}__in" if path else "pk__in"
            if is_multivalued(self.model, path):
                # A subquery, so that rows reached through several wards are not repeated.
                rows = self.model._base_manager.filter(**{lookup: wards}).values("pk")
                condition |= Q(pk__in=rows)
            else:
                condition |= Q(**{lookup: wards})
        if self.district_path and user.district_id:
            condition |= Q(**{self.district_path: user.district_id})
        return self.filter(condition)

    def managed_by(self, user):
        """The rows that belong to the managing unit `user` works for as a whole (a seminar
        of their district): what its staff may change. Rows seen only through a ward (a
        seminar of another unit that a ward of theirs attended) are read-only to them."""
        if not is_active_user(user):
            return self.none()
        if user.is_superuser:
            return self.all()
        if not self.district_path or user.district_id is None:
            return self.none()
        return self.filter(**{self.district_path: user.district_id})

    def delete(self):
        # Those told of the records deleted (`signals.notify_written`) hear once, at the end.
        with transaction.atomic(), writes_batched():
            return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        # Derived columns (search text, sort keys) are filled as save() would, and derived
        # tables are told (`signals.notify_written`), which needs the rows' keys: rows
        # skipped or merged on a conflict would come back without them.
        if kwargs.get("ignore_conflicts") or kwargs.get("update_conflicts"):
            raise ValueError("bulk_create of scoped records cannot skip or merge conflicts.")
        objs = list(objs)
        for obj in objs:
            if hasattr(obj, "fill_derived_fields"):
                obj.fill_derived_fields()
        created = super().bulk_create(objs, *args, **kwargs)
        notify_written(self.model, written=created)
        return created


def scoped_manager(
    *, wards=(), district=None, parent=None, manager=models.Manager, queryset=ScopedQuerySet
):
    """A manager whose `visible_to(user)` keeps the rows `user` may see (see ScopedQuerySet);
    `queryset`, a subclass of ScopedQuerySet, adds the model's own query methods."""
    queryset = type(
        "ScopedQuerySet",
        (queryset,),
        {"ward_paths": tuple(wards), "district_path": district, "parent_path": parent},
    )
    return manager.from_queryset(queryset)()


def related_model(model, path):
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return model


def is_multivalued(model, path):
    for name in filter(None, path.split("__")):
        field = model._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            return True
        model = field.related_model
    return False


class DistrictQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not is_active_user(user):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(
            Q(pk=user.district_id) | Q(pk__in=visible_wards(user).values("district"))
        )


class SecurityEventQuerySet(models.QuerySet):
    """The events of the accounts a user may manage, and failed sign-ins naming them."""

    def visible_to(self, user):
        if not is_active_user(user):
            return self.none()
        if user.is_superuser:
            return self.all()
        users = apps.get_model("wards", "User").objects.visible_to(user)
        return self.filter(
            Q(user__in=users) | Q(user__isnull=True, username__in=users.values("username"))
        )


class ImportJobQuerySet(models.QuerySet):
    """An import is seen by the user who sent the file (and superusers) only."""

    def visible_to(self, user):
        if not is_active_user(user):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(user=user)


class UserQuerySet(models.QuerySet):
    """Accounts an administrator may manage: those of the wards they see, never a superuser."""

    def visible_to(self, user):
        if not is_active_user(user):
            return self.none()
        if user.is_superuser:
            return self.all()
        wards = visible_wards(user)
        return self.filter(
            Q(pk=user.pk)
            | Q(district__in=wards.values("district"))
            | Q(pk__in=self.model._base_manager.filter(wards__in=wards).values("pk"))
        ).exclude(is_superuser=True)
