"""Who may see which ward: the one place that decides it.

A user sees the wards of the managing unit they work for (`User.district`: district staff,
viewers, administrators) and the wards they serve (`User.wards`: ward officers). Superusers
see everything; anonymous and inactive users nothing. Every scoped model's default manager
has `visible_to(user)`, built on `visible_wards()`, and every view, admin class, import,
export and PDF lists rows through it. What a user may *do* with the rows they see is decided
by their role's permissions (`roles.py`), and which of the rows they see they may change by
`managed_by(user)`: a record belongs to the unit that manages it, and a ward that only reads
it (a seminar of another unit that one of its wards attends) does not make it theirs.
"""

from django.apps import apps
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from core.signals import notify_written, reported, writes_batched


def own_wards(user):
    """The wards `user` works for: those of their managing unit, and those they serve."""
    Ward = apps.get_model("wards", "Ward")
    if not is_active_user(user):
        return Ward.objects.none()
    if user.is_superuser:
        return Ward.objects.all()
    return Ward.objects.filter(_own(user))


def _own(user, path=""):
    return Q(**{f"{path}district_id": user.district_id}) | Q(
        **{f"{path}pk__in": served_ward_ids(user)}
    )


def served_ward_ids(user):
    """The ids of the wards `user` serves, read once for the user object (a request's).
    Written out in each scoped query, `district = 1 OR id IN (2, 3)` is two index scans,
    where a subquery in its place makes PostgreSQL read every ward of the country (5-9 ms a
    query at national scale)."""
    served = getattr(user, "_served_wards", None)
    if served is None:
        links = apps.get_model("wards", "User").wards.through.objects.filter(user=user.pk)
        served = user._served_wards = list(links.values_list("ward", flat=True))
    return served


def visible_wards(user):
    """The wards whose records `user` may see: their own, and those their own came from
    through reorganisations (whose history they read, and do not change)."""
    own = own_wards(user)
    if not is_active_user(user) or user.is_superuser:
        return own
    ancestors = ancestor_ids(user)
    if not ancestors:
        return own
    if len(ancestors) > MANY_ANCESTORS:  # a province's: a subquery costs less than the list
        ancestors = _ancestors(user).values("ancestor")
    return own.model.objects.filter(_own(user) | Q(pk__in=ancestors))


MANY_ANCESTORS = 500


# Bumped by every reorganisation applied in this process: a user object read before it
# reads its ancestors again.
lineage_version = [0]


def ancestor_ids(user):
    """The ids of the wards the user's own came from: stored with the user
    (`store_ancestors`), so that they come with the request's user at no query. Written out
    in each scoped query, they cost less to plan than a subquery (39 ms against 46 ms for a
    ward's list of activities, a seventh of it)."""
    if getattr(user, "lineage_version", None) != lineage_version[0]:
        stored = type(user).objects.filter(pk=user.pk).values_list("ancestor_wards", flat=True)
        user.ancestor_wards = stored.first() or []
        user.lineage_version = lineage_version[0]
    return user.ancestor_wards


def _ancestors(user):
    """The links from the user's own wards to the wards they came from."""
    return apps.get_model("wards", "WardAncestor").objects.filter(_own(user, "ward__"))


def store_ancestors(users):
    """Store on each of `users` (a queryset) the wards its own came from: after a
    reorganisation, and when a user's managing unit or wards change (a ward's managing unit
    never does: `FixedParentModel`). A few queries, whatever the number of users."""
    User = apps.get_model("wards", "User")
    with transaction.atomic():
        # Locked: a change of one of these users' wards meanwhile waits, then counts again.
        ids = list(users.values_list("pk", flat=True))
        locked = User.objects.filter(pk__in=ids).select_for_update().order_by("pk")
        return _store_ancestors(list(locked.only("pk", "district_id")))


def _store_ancestors(users):
    User = apps.get_model("wards", "User")
    WardAncestor = apps.get_model("wards", "WardAncestor")
    by_district, served, by_ward = {}, {}, {}
    districts = {user.district_id for user in users if user.district_id}
    of_districts = WardAncestor.objects.filter(ward__district__in=districts)
    for district, ancestor in of_districts.values_list("ward__district", "ancestor"):
        by_district.setdefault(district, set()).add(ancestor)
    links = User.wards.through.objects.filter(user__in=[user.pk for user in users])
    for user_id, ward_id in links.values_list("user", "ward"):
        served.setdefault(user_id, set()).add(ward_id)
    wards = set().union(*served.values())
    for ward, ancestor in WardAncestor.objects.filter(ward__in=wards).values_list(
        "ward", "ancestor"
    ):
        by_ward.setdefault(ward, set()).add(ancestor)
    for user in users:
        ids = set(by_district.get(user.district_id, ()))
        for ward in served.get(user.pk, ()):
            ids |= by_ward.get(ward, set())
        user.ancestor_wards = sorted(ids)
    User.objects.bulk_update(users, ["ancestor_wards"], batch_size=1000)
    return {user.pk: user.ancestor_wards for user in users}


def user_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    """A user's ancestors again when their managing unit may have changed (not at a sign-in,
    which saves `last_login` only)."""
    if raw or (update_fields is not None and "district" not in update_fields):
        return
    _store_on(instance, store_ancestors(sender.objects.filter(pk=instance.pk)))


def user_wards_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Users' ancestors again when the wards they serve change, from either side
    (`user.wards.add(ward)`, `ward.officers.clear()`)."""
    User = apps.get_model("wards", "User")
    if reverse and action == "pre_clear":
        instance._cleared_officers = list(instance.officers.values_list("pk", flat=True))
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        _store_on(instance, store_ancestors(User.objects.filter(pk=instance.pk)))
    else:
        ids = instance.__dict__.pop("_cleared_officers", []) if pk_set is None else pk_set
        store_ancestors(User.objects.filter(pk__in=ids))


def _store_on(user, stored):
    user.ancestor_wards = stored.get(user.pk, [])
    user.lineage_version = lineage_version[0]
    user.__dict__.pop("_served_wards", None)  # read again


def current():
    """The units that have not ended."""
    return Q(valid_until__isnull=True) | Q(valid_until__gte=timezone.localdate())


def managed_districts(user):
    return apps.get_model("wards", "District").objects.managed_by(user)


def managed_wards(user):
    """The wards whose records `user` may change: their own that have not ended (a ward a
    reorganisation ended is history: only a superuser corrects it)."""
    own = own_wards(user)
    if not is_active_user(user) or user.is_superuser:
        return own
    return own.filter(current())


def works_for_a_unit(user):
    """Whether `user` works for a managing unit as a whole (district staff, viewers,
    administrators, superusers) and may see its dashboards; ward officers do not."""
    return is_active_user(user) and (user.is_superuser or user.district_id is not None)


def is_active_user(user):
    return user.is_authenticated and user.is_active


class ScopedQuerySet(models.QuerySet):
    """Rows that belong to wards, to a managing unit as a whole, or to a scoped parent.

    - `ward_paths`: lookups from the model to the wards that own a row ("" for the Ward model
      itself): their users see and change it. A model names the lookup to its ward once, as
      its `ward_path` (`Activity.ward_path`), and passes it here; `in_wards` filters by it;
    - `reader_paths`: lookups to wards whose users see a row without owning it (the wards
      that attend a seminar, the ward a seminar's task is given to);
    - `district_path`: the lookup to the managing unit of rows that belong to it as a whole
      (a seminar, a district-level training): its users see and change them;
    - `parent_path`: the lookup to a parent whose own scope decides both (a seminar's
      clusters);
    - `owner_path`: the lookup to a record whose managers change the row, when they are not
      those who see it (a task's assignment to a ward is the seminar's to change).
    """

    ward_paths = ()
    reader_paths = ()
    district_path = None
    parent_path = None
    owner_path = None

    def visible_to(self, user):
        if not is_active_user(user):
            return self.none()
        if user.is_superuser:
            return self.all()
        if self.parent_path:
            return self._through(self.parent_path, "visible_to", user)
        paths = [*self.ward_paths, *self.reader_paths]
        return self.filter(self._condition(user, paths, visible_wards(user)))

    def managed_by(self, user):
        """The rows `user` may change: those of the wards and the managing unit they work
        for; a child row, as its parent or owner is. For a ward's own records it is what
        they see; the admin checks every write against it, the seminar editor its seminar,
        imports the managing unit a new ward is put under."""
        if not is_active_user(user):
            return self.none()
        if user.is_superuser:
            return self.all()
        path = self.owner_path or self.parent_path
        if path:
            return self._through(path, "managed_by", user)
        return self.filter(
            self._condition(user, self.ward_paths, managed_wards(user), managed=True)
        )

    def _through(self, path, method, user):
        related = related_model(self.model, path)
        rows = getattr(related._default_manager, method)(user)
        return self.filter(**{f"{path}__in": rows})

    def _condition(self, user, ward_paths, wards, *, managed=False):
        condition = Q(pk__in=[])
        for path in ward_paths:
            lookup = f"{path}__in" if path else "pk__in"
            if is_multivalued(self.model, path):
                # A subquery, so that rows reached through several wards are not repeated.
                rows = self.model._base_manager.filter(**{lookup: wards}).values("pk")
                condition |= Q(pk__in=rows)
            else:
                condition |= Q(**{lookup: wards})
        if self.district_path and user.district_id:
            districts = [user.district_id]
            if managed:  # a unit a reorganisation ended is history: read, not changed
                districts = managed_districts(user).values("pk")
            condition |= Q(**{f"{self.district_path}__in": districts})
        return condition

    def in_wards(self, wards):
        """The rows of `wards` (a queryset of wards, or ids), by the model's `ward_path`."""
        return self.filter(**{f"{self.model.ward_path}__in": wards})

    def in_ward(self, ward):
        return self.filter(**{self.model.ward_path: ward})

    def delete(self):
        # Those told of the records deleted (`signals.notify_written`) hear once, at the end.
        with transaction.atomic(), writes_batched():
            return super().delete()

    def update(self, **kwargs):
        if not reported(self.model):
            raise TypeError(
                f"QuerySet.update() of {self.model._meta.label} would bypass the tallies "
                "that follow its writes: save the records, or update them inside "
                "core.signals.writes_batched() and call notify_written() with them."
            )
        return super().update(**kwargs)

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
    *,
    wards=(),
    readers=(),
    district=None,
    parent=None,
    owner=None,
    manager=models.Manager,
    queryset=ScopedQuerySet,
):
    """A manager whose `visible_to(user)` keeps the rows `user` may see and `managed_by(user)`
    those they may change (see ScopedQuerySet); `queryset`, a subclass of ScopedQuerySet, adds
    the model's own query methods."""
    queryset = type(
        "ScopedQuerySet",
        (queryset,),
        {
            "ward_paths": tuple(wards),
            "reader_paths": tuple(readers),
            "district_path": district,
            "parent_path": parent,
            "owner_path": owner,
        },
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

    def managed_by(self, user):
        """A unit is changed by those who work for it, not by the officers of its wards,
        while it exists."""
        if not is_active_user(user):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(pk=user.district_id).filter(current())


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

    def managed_by(self, user):
        return self.none()  # append-only


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

    def managed_by(self, user):
        """The accounts of the unit `user` works for: those who work for it, and officers
        who serve its wards only, with no permission beyond their role. An officer who also
        serves another unit's ward is shared, and only a superuser changes the account:
        either unit's administrator could otherwise reset its password, or give it a role,
        and act in the other unit."""
        if not is_active_user(user):
            return self.none()
        if user.is_superuser:
            return self.all()
        if user.district_id is None:
            return self.none()
        from .roles import Role

        Ward = apps.get_model("wards", "Ward")
        accounts = self.model._base_manager
        outside = accounts.filter(wards__in=Ward.objects.exclude(district_id=user.district_id))
        inside = accounts.filter(wards__district_id=user.district_id)
        # Permissions beyond the roles are the superuser's to give: an administrator who
        # could set such an account's password could use them.
        beyond = accounts.filter(
            Q(user_permissions__isnull=False)
            | Q(groups__isnull=False) & ~Q(groups__name__in=Role.values)
        )
        return (
            self.filter(Q(district_id=user.district_id) | Q(district__isnull=True, pk__in=inside))
            .exclude(pk__in=outside.values("pk"))
            .exclude(pk__in=beyond.values("pk"))
            .exclude(is_superuser=True)
        )
