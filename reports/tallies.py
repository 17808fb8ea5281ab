"""Keeping the tallies (`models.py`) up to date.

A tally is counted again from the records, never incremented: `refresh_places()` deletes the
tallies of some wards and managing units (in some months, or in all) and counts them again, so a
missed or repeated call cannot leave a wrong number behind for long, and `rebuild()` (`manage.py
rebuild_tallies`) counts everything again; `differences()` (`rebuild_tallies --check`) says what
a recount would change, changing nothing.

Every write reaches it as `core.signals.rows_written`, with the records before and after:
- one record at a time (forms, the admin, services): Django's save and delete signals, turned
  into that notice here; the stored record is read (and locked) before a save;
- in bulk (`bulk_create` and `delete` of the scoped querysets, an import's COPY and bulk
  updates): once for the whole write (`writes_batched`).
`seed_scale`, which writes tuples with COPY, and `load_demo` call `rebuild()`;
`QuerySet.update()` of a tracked model is refused outside `writes_batched()` (whose caller
reports what it wrote); SQL bypasses the signals: refresh or rebuild after it.

Two transactions counting the same managing unit's tallies take turns (`_lock`), and the
second reads where its records are once its turn has come.
"""

import itertools
from collections import Counter, defaultdict

from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.db.models.signals import post_delete, post_save, pre_save

from core.periods import first_of_month, next_month
from core.signals import follow, notify_written, rows_written
from core.writers import copy_rows
from teams.models import Activity, CitizenFeedback, Member, Team
from wards.models import District, ResidentialGroup, Ward

from .models import DistrictMembers, DistrictMonth, WardMembers, WardMonth

# The records the tallies count, and those that move them between wards and units: the path
# from each to its ward ("" for a ward), and the date that puts it in a month (None: it
# touches every month of its ward).
TRACKED = {
    Activity: (Activity.ward_path, "date"),
    CitizenFeedback: (CitizenFeedback.ward_path, "received_on"),
    Member: (Member.ward_path, None),
    Team: (Team.ward_path, None),
    ResidentialGroup: (ResidentialGroup.ward_path, None),
    Ward: ("", None),
}
# Records whose own figures the tallies count: refreshed on every write. The others only
# when they move to another ward or unit.
COUNTED = (Activity, CitizenFeedback, Member)
TO_WARD = f"team__{Team.ward_path}"  # every counted record's, through its team
TALLIES = (WardMonth, WardMembers, DistrictMonth, DistrictMembers)
BATCH = 10_000
REBUILD_DISTRICTS = 50


# Counting


def _count_months_again(*, wards, districts, months):
    """Count again the monthly tallies of `wards` and `districts` (ids) in `months` (first
    days), or in every month when `months` is None. The caller holds their units' lock."""
    _in_months(WardMonth.objects.filter(ward__in=wards), "month", months).delete()
    _in_months(DistrictMonth.objects.filter(district__in=districts), "month", months).delete()
    _count_months(wards=wards, districts=districts, months=months)


def _count_members_again(*, wards, districts):
    """Count again the member tallies of `wards` and `districts` (ids). The caller holds
    their units' lock."""
    WardMembers.objects.filter(ward__in=wards).delete()
    DistrictMembers.objects.filter(district__in=districts).delete()
    _count_members(wards=wards, districts=districts)


def rebuild(*, analyze=True):
    """Count every tally again, a few managing units at a time (so that memory stays small
    at national scale); then, unless `analyze` is False, renew the planner's statistics."""
    with transaction.atomic():
        _lock(District.objects.values("pk"))
        for model in TALLIES:
            model.objects.all().delete()
        districts = District.objects.order_by("pk").values_list("pk", flat=True).iterator()
        while chunk := list(itertools.islice(districts, REBUILD_DISTRICTS)):
            _count_months(wards=None, districts=chunk, months=None)
            _count_members(wards=None, districts=chunk)
    if analyze and connection.vendor == "postgresql":
        # The planner's statistics of the new tables: the dashboards' plans depend on them.
        with connection.cursor() as cursor:
            for model in TALLIES:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def differences():
    """What counting every tally again would change, written nowhere (the recount is rolled
    back): {tally model: (rows only stored, rows only counted)} for each model that differs,
    a row being its values without its id. Writes wait meanwhile, as for a rebuild; both
    sets of rows are held in memory (some 800,000 rows at national scale)."""
    with transaction.atomic():
        _lock(District.objects.values("pk"))  # no write between the two readings
        stored = _rows()
        rebuild(analyze=False)
        counted = _rows()
        transaction.set_rollback(True)
    return {
        model: (sorted(stored[model] - counted[model]), sorted(counted[model] - stored[model]))
        for model in TALLIES
        if stored[model] != counted[model]
    }


def _rows():
    """Every tally's rows, as a multiset of value tuples without their ids."""
    rows = {}
    for model in TALLIES:
        names = [field.attname for field in model._meta.concrete_fields if not field.primary_key]
        rows[model] = Counter(model.objects.values_list(*names).iterator(chunk_size=BATCH))
    return rows


def _lock(districts):
    """Wait for other transactions counting tallies of these managing units (and so of their
    wards) to end, so that each counts the other's records and neither writes a tally the
    other has just written. In the order of their ids, so that two cannot wait for each
    other. (SQLite lets one transaction write at a time anyway.) The ids of those locked."""
    locked = District.objects.select_for_update().filter(pk__in=districts).order_by("pk")
    return set(locked.values_list("pk", flat=True))


def _in_months(rows, date_field, months):
    """`rows` dated within `months` (first days), or all of them when `months` is None."""
    if months is None:
        return rows
    condition = Q(pk__in=[])
    for month in months:
        after = next_month(month)
        condition |= Q(**{f"{date_field}__gte": month, f"{date_field}__lt": after})
    return rows.filter(condition)


FEEDBACK = {
    "feedback_received": Count("pk"),
    "feedback_resolved": Count("pk", filter=Q(status=CitizenFeedback.Status.RESOLVED)),
}


# What the month tallies count of each record: its date, and the sums.
MONTH_COUNTS = {
    Activity: ("date", {"activities": Count("pk"), "households": Sum("households_reached")}),
    CitizenFeedback: ("received_on", FEEDBACK),
}


def _count_months(*, wards, districts, months):
    """Write the month tallies of `districts` and of `wards` (ids; None: every ward of the
    districts) in `months`: one grouped query of each counted model over the districts'
    records (by ward, unit, field and month), summed here to both levels."""
    ward_counts, district_counts = defaultdict(Counter), defaultdict(Counter)
    for model, (date_field, sums) in MONTH_COUNTS.items():
        rows = (
            _in_months(
                model.objects.filter(**{f"{TO_WARD}__district__in": districts}), date_field, months
            )
            .values(
                "field",
                ward_pk=F(TO_WARD),
                district_pk=F(f"{TO_WARD}__district"),
                month=TruncMonth(date_field),
            )
            .annotate(**sums)
            .order_by()
        )
        for row in rows.iterator(chunk_size=BATCH):
            month = first_of_month(row.pop("month"))
            ward, district = row.pop("ward_pk"), row.pop("district_pk")
            field = row.pop("field")
            counts = {name: value or 0 for name, value in row.items()}
            if wards is None or ward in wards:
                ward_counts[ward, month].update(counts)
            district_counts[district, month, field].update(counts)
    _insert(
        WardMonth,
        (
            WardMonth(ward_id=ward, month=month, **counts)
            for (ward, month), counts in ward_counts.items()
        ),
    )
    _insert(
        DistrictMonth,
        (
            DistrictMonth(district_id=district, month=month, field=field, **counts)
            for (district, month, field), counts in district_counts.items()
        ),
    )


# The member tallies' rows of a place: for all its members (""), and for each organisation.
ORGANISATIONS = ["", *Member.Organisation.values]


def _member_counts(organisation):
    """What a member tally counts of a place's current members who represent `organisation`
    ("": all of them, and the people among them), as aggregates named after it."""
    if not organisation:
        return {
            "members_": Count("pk"),
            "party_members_": Count("pk", filter=Q(is_party_member=True)),
            "people_": Count("person", distinct=True),
        }
    mine = Q(organisation=organisation)
    return {
        f"members_{organisation}": Count("pk", filter=mine),
        f"party_members_{organisation}": Count("pk", filter=mine & Q(is_party_member=True)),
    }


MEMBER_COUNTS = {
    name: count
    for organisation in ORGANISATIONS
    for name, count in _member_counts(organisation).items()
}


def _count_members(*, wards, districts):
    """Write the member tallies of `districts` and of `wards` (ids; None: every ward of the
    districts): one grouped query of their current members by ward and one by unit (people
    are counted once in a unit, not once in each of its wards)."""
    current = Member.objects.filter(left_on__isnull=True).order_by()
    in_wards = (
        {f"{TO_WARD}__district__in": districts} if wards is None else {f"{TO_WARD}__in": wards}
    )
    _insert(
        WardMembers,
        _member_tallies(
            WardMembers, "ward_id", current.filter(**in_wards).values(place=F(TO_WARD))
        ),
    )
    _insert(
        DistrictMembers,
        _member_tallies(
            DistrictMembers,
            "district_id",
            current.filter(**{f"{TO_WARD}__district__in": districts}).values(
                place=F(f"{TO_WARD}__district")
            ),
        ),
    )


def _member_tallies(model, place, grouped):
    """Tallies of `model` from the members `grouped` by place: the place's row for all its
    members, and one for each organisation they represent."""
    for row in grouped.annotate(**MEMBER_COUNTS):
        for organisation in ORGANISATIONS:
            if row[f"members_{organisation}"]:
                yield model(
                    **{place: row["place"]},
                    organisation=organisation,
                    members=row[f"members_{organisation}"],
                    party_members=row[f"party_members_{organisation}"],
                    people=row.get(f"people_{organisation}"),
                )


def _insert(model, tallies):
    """Write `tallies` (an iterator) a batch at a time: with COPY on PostgreSQL."""
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    while batch := list(itertools.islice(tallies, BATCH)):
        if connection.vendor == "postgresql":
            copy_rows(model, fields, ([getattr(t, f.attname) for f in fields] for t in batch))
        else:
            model.objects.bulk_create(batch)


# Where records are


def places(model, instances):
    """{primary key: (ward id, district id, first day of the month or None)} of `instances`
    of `model`, by their own field values (read with one query of their parents)."""
    ward_path, date_field = TRACKED[model]
    if ward_path:
        field, rest = _parent(model)
        ward, district = (f"{rest}__pk", f"{rest}__district") if rest else ("pk", "district")
        parents = {
            pk: (ward_id, district_id)
            for pk, ward_id, district_id in field.related_model._base_manager.filter(
                pk__in={getattr(obj, field.attname) for obj in instances}
            ).values_list("pk", ward, district)
        }
        units = [parents.get(getattr(obj, field.attname)) for obj in instances]
    else:
        units = [(obj.pk, obj.district_id) for obj in instances]
    return {
        obj.pk: (*unit, first_of_month(getattr(obj, date_field)) if date_field else None)
        for obj, unit in zip(instances, units, strict=True)
        if unit is not None
    }


def _districts_of(model, instances):
    """The managing units of `instances` of `model`: a subquery through their parents (a
    record's team, a team's group), or the wards' own."""
    if not TRACKED[model][0]:
        return {obj.district_id for obj in instances}
    field, rest = _parent(model)
    return field.related_model._base_manager.filter(
        pk__in={getattr(obj, field.attname) for obj in instances}
    ).values(f"{rest}__district" if rest else "district")


def _parent(model):
    """The foreign key from `model` towards its ward, and the path from there to the ward
    ("" when the parent is the ward)."""
    link, _, rest = TRACKED[model][0].partition("__")
    return model._meta.get_field(link), rest


def _changed(model, before, after):
    """The places (from `places`) whose tallies writes of `model` change, from where the
    records were (`before`) and are (`after`): every place of counted records; for a team,
    group or ward, which counts through its records, the places of those that moved."""
    if model in COUNTED:
        return set(before.values()) | set(after.values())
    moved = [pk for pk, place in before.items() if after.get(pk, place) != place]
    return {before[pk] for pk in moved} | {after[pk] for pk in moved}


def refresh_places(model, *, previous=(), written=()):
    """Count again the tallies that the `previous` (as stored before) and `written` records
    of `model` change, under their managing units' lock. Counted records' units are locked
    first and where the records are is read then: a team, group or ward moved by a
    transaction that ended meanwhile takes them along. A team, group or ward changes tallies
    only when it moved."""
    # Within the write's own transaction when there is one, with no savepoint: a failure
    # here fails the write. (Outside one, the record is already saved: this is its own.)
    with transaction.atomic(savepoint=False):
        locked = _lock(_districts_of(model, [*previous, *written])) if model in COUNTED else set()
        found = _changed(model, places(model, previous), places(model, written))
        _lock({district for _ward, district, _month in found} - locked)
        wards = {ward for ward, _district, _month in found}
        districts = {district for _ward, district, _month in found}
        months = {month for _ward, _district, month in found}
        if model is not Member and found:
            _count_months_again(
                wards=wards, districts=districts, months=None if None in months else months
            )
        if model not in (Activity, CitizenFeedback) and found:
            # A member, or a team, group or ward that moved and takes its members along.
            _count_members_again(wards=wards, districts=districts)


# Signals


def _note_before(sender, instance, **kwargs):
    """Keep the record as stored, locked till the end of the transaction: another editing
    it at the same time waits, then reads what this one wrote."""
    stored = None
    if instance.pk is not None:
        rows = sender._base_manager.filter(pk=instance.pk)
        if connection.in_atomic_block:
            rows = rows.select_for_update()
        stored = rows.first()
    instance._tally_stored = stored


def _after_save(sender, instance, raw=False, **kwargs):
    if raw:  # fixtures load records as they are; `rebuild_tallies` counts them
        return
    stored = getattr(instance, "_tally_stored", None)
    notify_written(sender, written=[instance], previous=[stored] if stored else [])


def _after_delete(sender, instance, **kwargs):
    # As Django read it to delete it.
    notify_written(sender, previous=[instance])


def _after_write(sender, written, previous, **kwargs):
    if sender in TRACKED:
        refresh_places(sender, previous=previous, written=written)


def connect():
    follow(*TRACKED)
    for model in TRACKED:
        uid = f"tallies-{model._meta.label}"
        pre_save.connect(_note_before, sender=model, dispatch_uid=uid)
        post_save.connect(_after_save, sender=model, dispatch_uid=uid)
        post_delete.connect(_after_delete, sender=model, dispatch_uid=uid)
    rows_written.connect(_after_write, dispatch_uid="tallies")
