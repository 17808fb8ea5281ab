"""Applying a reorganisation (`models.Reorganisation`): units end, their successors begin on
the effective date, and every record stays with the unit it was made under.

A plan names what the decision does, at the level of residential groups:

- the wards it establishes (`NewWard`: code, name, managing unit), and the groups of those or
  of existing wards it establishes (`NewGroup`);
- where each old group goes (`Move`): wholly to one group, or in parts to several (a split);
  several old groups going to one group merge;
- the groups it dissolves, and the wards it ends (`ends`: a ward ends once all its groups have
  gone; one it renames or moves ends too, its successor being a new ward).

`apply()` checks the whole plan first and writes it in one transaction: the new units, the
successions (`GroupSuccession`, and `WardSuccession` derived from where the groups went), the
ancestors of every new ward (`WardAncestor`: its users read their history), the end of the old
units, and the decision marked applied (a second application is refused). `units_reorganised`
is then sent, for the apps whose records carry over (the tasks still open in an ended ward).
"""

import dataclasses
import datetime

from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from tablib import Dataset

from core.tables import xlsx_bytes

from . import scope
from .models import (
    District,
    GroupSuccession,
    ResidentialGroup,
    User,
    Ward,
    WardAncestor,
    WardSuccession,
)

# Sent once a reorganisation is applied, inside its transaction: `reorganisation`, and
# `wards`, the (predecessor, successor) pairs of wards.
units_reorganised = Signal()
# Sent while a plan is checked: `groups`, the residential groups that end, and `day`, the
# first day they no longer exist. Each receiver returns the sentences (none, if all is well)
# that stop the plan: an app's records dated from that day under those groups, which would
# be left under a unit that did not exist when they happened.
units_ending = Signal()


@dataclasses.dataclass(frozen=True)
class NewWard:
    code: str
    name: str
    district: object  # the managing unit
    kind: str = Ward.Kind.WARD


@dataclasses.dataclass(frozen=True)
class NewGroup:
    ward_code: str  # of a ward the plan establishes, or of a ward that goes on
    code: str
    name: str
    households: int | None = None  # None: the sum of the groups that come to it wholly
    population: int | None = None


@dataclasses.dataclass(frozen=True)
class Move:
    """An old group (ward code, group code), or one part of it, going to a group of the
    plan (ward code, group code)."""

    ward_code: str
    group_code: str
    to_ward_code: str
    to_group_code: str


@dataclasses.dataclass
class Plan:
    wards: list[NewWard] = dataclasses.field(default_factory=list)
    groups: list[NewGroup] = dataclasses.field(default_factory=list)
    moves: list[Move] = dataclasses.field(default_factory=list)
    dissolved_groups: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    ends: list[str] = dataclasses.field(default_factory=list)  # codes of wards that end
    # Codes of managing units that end with all their wards (a district in 2025).
    ended_districts: list[str] = dataclasses.field(default_factory=list)
    # A note on the succession of a ward to another ("part of the area; the share is an
    # estimate"), by (old ward code, new ward code).
    notes: dict[tuple[str, str], str] = dataclasses.field(default_factory=dict)


class PlanRefused(Exception):
    """The plan cannot be applied; `errors` says why, each in a sentence."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclasses.dataclass
class Outcome:
    wards: list  # established
    groups: list  # established
    ended_wards: list
    ended_groups: list
    ward_successions: list  # (predecessor, successor) pairs, either may be None


def apply(reorganisation, plan, *, user, commit=True):
    """Check `plan` against the units `user` manages and, with `commit`, apply it as of
    `reorganisation.effective_on`. Returns what was (or would be) done; raises PlanRefused
    with every reason when it cannot be applied, having written nothing."""
    with transaction.atomic():
        locked = type(reorganisation).objects.select_for_update().get(pk=reorganisation.pk)
        checked = _Check(locked, plan, user)
        if checked.errors:
            raise PlanRefused(checked.errors)
        outcome = checked.outcome()
        if commit:
            _write(locked, checked, outcome, user)
            reorganisation.refresh_from_db()
        return outcome


class _Check:
    """The plan read against the database: every unit it names found, every rule checked."""

    def __init__(self, reorganisation, plan, user):
        self.reorganisation, self.plan, self.user = reorganisation, plan, user
        self.errors = []
        self.day = reorganisation.effective_on
        if reorganisation.applied_at is not None:
            self.errors.append(_("This reorganisation has already been applied."))
            return
        managed = Ward.objects.managed_by(user) if user else Ward.objects.all()
        self.new_ward_codes = {ward.code for ward in plan.wards}
        for code in sorted(
            {w.code for w in plan.wards if [x.code for x in plan.wards].count(w.code) > 1}
        ):
            self.errors.append(_("The ward “%(code)s” is established twice.") % {"code": code})
        old_codes = (
            {move.ward_code for move in plan.moves}
            | {code for code, _group in plan.dissolved_groups}
            | set(plan.ends)
        )
        named = old_codes | ({g.ward_code for g in plan.groups} - self.new_ward_codes)
        self.wards = {ward.code: ward for ward in managed.filter(code__in=named)}
        for code in sorted(named - set(self.wards)):
            self.errors.append(
                _("No ward you may change has the code “%(code)s”.") % {"code": code}
            )
        taken = Ward.objects.filter(code__in=self.new_ward_codes).values_list("code", flat=True)
        for code in sorted(taken):
            self.errors.append(
                _("A ward with the code “%(code)s” already exists.") % {"code": code}
            )
        for ward in plan.wards:
            if user and not user.is_superuser and ward.district.pk != user.district_id:
                self.errors.append(
                    _("The new ward “%(name)s” must be under the unit you work for.")
                    % {"name": ward.name}
                )
        for ward in self.wards.values():
            if not ward.existed_on(self.day - datetime.timedelta(days=1)):
                self.errors.append(
                    _("The ward %(ward)s did not exist the day before the reorganisation.")
                    % {"ward": ward}
                )
        # The old groups the plan moves away (wholly or in parts) or dissolves.
        self.leaving = {(m.ward_code, m.group_code) for m in plan.moves} | set(
            plan.dissolved_groups
        )
        self.old_groups = self._old_groups(old_codes)
        self.targets = self._targets()
        self._check_ends()
        self.districts = self._ended_districts()
        if not self.errors:
            self._check_records()

    def _old_groups(self, ward_codes):
        keys = self.leaving
        current = ResidentialGroup.objects.filter(
            ward__code__in=ward_codes, valid_until__isnull=True
        ).select_related("ward")
        groups = {(g.ward.code, g.code): g for g in current}
        for ward_code, code in sorted(keys - set(groups)):
            if ward_code in self.wards:
                self.errors.append(
                    _("The ward %(ward)s has no current residential group “%(group)s”.")
                    % {"ward": self.wards[ward_code], "group": code}
                )
        self.by_ward = {}
        for group in groups.values():
            self.by_ward.setdefault(group.ward.code, []).append(group)
        return groups

    def _targets(self):
        """{(ward code, group code): NewGroup} of the groups the plan establishes."""
        targets = {}
        for group in self.plan.groups:
            key = (group.ward_code, group.code)
            if key in targets:
                self.errors.append(
                    _("The group “%(group)s” of %(ward)s is established twice.")
                    % {"group": group.code, "ward": group.ward_code}
                )
            targets[key] = group
            going_on = group.ward_code not in self.new_ward_codes
            if going_on and group.ward_code in self.plan.ends:
                self.errors.append(
                    _("A group cannot be established in %(ward)s, which ends.")
                    % {"ward": self.wards.get(group.ward_code, group.ward_code)}
                )
        for move in self.plan.moves:
            if (move.to_ward_code, move.to_group_code) not in targets:
                self.errors.append(
                    _("The group “%(group)s” of %(ward)s, where a group goes, is not among the "
                      "groups the plan establishes.")
                    % {"group": move.to_group_code, "ward": move.to_ward_code}
                )  # fmt: skip
        leaving = self.leaving
        current = {(g.ward.code, g.code) for g in self.old_groups.values()}
        current |= set(
            ResidentialGroup.objects.filter(
                ward__code__in=[key[0] for key in targets], valid_until__isnull=True
            ).values_list("ward__code", "code")
        )
        for key in sorted(targets):
            if key in current and key not in leaving:
                self.errors.append(
                    _("The ward %(ward)s already has a current group “%(group)s”.")
                    % {"ward": self.wards.get(key[0], key[0]), "group": key[1]}
                )
        seen = set()
        for move in self.plan.moves:
            if move in seen:
                self.errors.append(
                    _("The group “%(group)s” of %(ward)s goes to the same group twice.")
                    % {"group": move.group_code, "ward": move.ward_code}
                )
            seen.add(move)
        return targets

    def _check_ends(self):
        leaving = self.leaving
        arriving = {m.to_ward_code for m in self.plan.moves} | {
            g.ward_code for g in self.plan.groups
        }
        for code, groups in sorted(self.by_ward.items()):
            emptied = all((code, group.code) in leaving for group in groups)
            if emptied and code in self.wards and code not in {*self.plan.ends, *arriving}:
                self.errors.append(
                    _("All the groups of %(ward)s leave it: the plan must end it.")
                    % {"ward": self.wards.get(code, code)}
                )
        for code in self.plan.ends:
            staying = [
                group for group in self.by_ward.get(code, []) if (code, group.code) not in leaving
            ]
            if code in self.wards and staying:
                self.errors.append(
                    _("The ward %(ward)s ends, but its groups %(groups)s go nowhere.")
                    % {
                        "ward": self.wards[code],
                        "groups": ", ".join(sorted(group.code for group in staying)),
                    }
                )

    def _check_records(self):
        groups = [self.old_groups[key] for key in sorted(self.leaving)]
        for _receiver, errors in units_ending.send(
            sender=type(self.reorganisation), groups=groups, day=self.day
        ):
            self.errors.extend(errors)

    def _ended_districts(self):
        districts = list(
            District.objects.managed_by(self.user) if self.user else District.objects.all()
        )
        found = {d.code: d for d in districts if d.code in self.plan.ended_districts}
        for code in self.plan.ended_districts:
            if code not in found:
                self.errors.append(
                    _("No managing unit you may change has the code “%(code)s”.") % {"code": code}
                )
        going_on = (
            Ward.objects.filter(district__in=found.values(), valid_until__isnull=True)
            .exclude(code__in=self.plan.ends)
            .values_list("name", flat=True)
        )
        if going_on:
            self.errors.append(
                _("A managing unit ends only with all its wards: %(wards)s go on.")
                % {"wards": ", ".join(sorted(going_on))}
            )
        return list(found.values())

    def outcome(self):
        ward_pairs = {}
        for move in self.plan.moves:
            pair = (move.ward_code, move.to_ward_code)
            if move.ward_code != move.to_ward_code:
                ward_pairs[pair] = True
        for code in self.plan.ends:
            if not any(old == code for old, _new in ward_pairs):
                ward_pairs[(code, None)] = True
        for ward in self.plan.wards:
            if not any(new == ward.code for _old, new in ward_pairs):
                ward_pairs[(None, ward.code)] = True
        return Outcome(
            wards=list(self.plan.wards),
            groups=list(self.plan.groups),
            ended_wards=[self.wards[code] for code in self.plan.ends if code in self.wards],
            ended_groups=sorted(
                {self.old_groups[key] for key in self.leaving},
                key=lambda group: (group.ward.code, group.code),
            ),
            ward_successions=list(ward_pairs),
        )


def _write(reorganisation, checked, outcome, user):
    day, plan = reorganisation.effective_on, checked.plan
    last_day = day - datetime.timedelta(days=1)
    wards = dict(checked.wards)
    for new in plan.wards:
        wards[new.code] = Ward.objects.create(
            district=new.district, code=new.code, name=new.name, kind=new.kind, valid_from=day
        )
    whole = {}  # a new group's predecessors that come to it wholly
    parts = {}
    for move in plan.moves:
        parts.setdefault((move.ward_code, move.group_code), []).append(move)
    for key, moves in parts.items():
        if len(moves) == 1:
            target = (moves[0].to_ward_code, moves[0].to_group_code)
            whole.setdefault(target, []).append(checked.old_groups[key])
    for group in outcome.ended_groups:
        group.valid_until, group.is_active = last_day, False
        group.save(update_fields=["valid_until", "is_active", "updated_at"])
    new_groups = {}
    for key, new in checked.targets.items():
        sources = whole.get(key, [])
        households = new.households
        population = new.population
        new_groups[key] = ResidentialGroup.objects.create(
            ward=wards[new.ward_code],
            code=new.code,
            name=new.name,
            households=sum(g.households for g in sources) if households is None else households,
            population=sum(g.population for g in sources) if population is None else population,
            valid_from=day,
        )
    GroupSuccession.objects.bulk_create(
        [
            GroupSuccession(
                reorganisation=reorganisation,
                predecessor=checked.old_groups[(m.ward_code, m.group_code)],
                successor=new_groups[(m.to_ward_code, m.to_group_code)],
            )
            for m in plan.moves
        ]
        + [
            GroupSuccession(reorganisation=reorganisation, predecessor=checked.old_groups[key])
            for key in plan.dissolved_groups
        ]
        + [
            GroupSuccession(reorganisation=reorganisation, successor=group)
            for key, group in new_groups.items()
            if not any((m.to_ward_code, m.to_group_code) == key for m in plan.moves)
        ]
    )
    for unit in [*outcome.ended_wards, *checked.districts]:
        unit.valid_until, unit.is_active = last_day, False
        unit.save(update_fields=["valid_until", "is_active", "updated_at"])
    pairs = [
        (wards.get(old) if old else None, wards.get(new) if new else None)
        for old, new in outcome.ward_successions
    ]
    WardSuccession.objects.bulk_create(
        [
            WardSuccession(
                reorganisation=reorganisation,
                predecessor=old,
                successor=new,
                note=plan.notes.get((old and old.code, new and new.code), ""),
            )
            for old, new in pairs
        ]
    )
    # A successor reads the history of the wards that ended into it; a ward that goes on,
    # having given some groups away, stays its own (its later records are not theirs).
    ended_into = [(old, new) for old, new in pairs if old and new and old.valid_until]
    _add_ancestors(ended_into)
    successors = [new for _old, new in ended_into]
    scope.store_ancestors(
        User.objects.filter(
            Q(district__in={ward.district_id for ward in successors}) | Q(wards__in=successors)
        ).distinct()
    )
    scope.lineage_version[0] += 1  # user objects read before read their ancestors again
    reorganisation.applied_at, reorganisation.applied_by = timezone.now(), user
    reorganisation.save(update_fields=["applied_at", "applied_by", "updated_at"])
    units_reorganised.send(sender=type(reorganisation), reorganisation=reorganisation, wards=pairs)


def _add_ancestors(pairs):
    """Each successor's ancestors: its predecessors and theirs."""
    earlier = {}
    for row in WardAncestor.objects.filter(ward__in=[old for old, _new in pairs]):
        earlier.setdefault(row.ward_id, set()).add(row.ancestor_id)
    rows = set()
    for old, new in pairs:
        for ancestor in {old.pk, *earlier.get(old.pk, ())}:
            rows.add((new.pk, ancestor))
    existing = set(
        WardAncestor.objects.filter(ward__in=[new for _old, new in pairs]).values_list(
            "ward", "ancestor"
        )
    )
    WardAncestor.objects.bulk_create(
        [WardAncestor(ward_id=ward, ancestor_id=ancestor) for ward, ancestor in rows - existing]
    )


# A plan as a table (Excel or CSV): one row per old residential group, or per part of one.
OLD_WARD, OLD_GROUP = "Mã phường cũ", "Mã tổ dân phố cũ"
NEW_WARD, NEW_WARD_NAME, NEW_UNIT = "Mã phường mới", "Tên phường mới", "Mã đơn vị quản lý"
NEW_GROUP, NEW_GROUP_NAME, NOTE = "Mã tổ dân phố mới", "Tên tổ dân phố mới", "Ghi chú"
PLAN_COLUMNS = [OLD_WARD, OLD_GROUP, NEW_WARD, NEW_WARD_NAME, NEW_UNIT, NEW_GROUP, NEW_GROUP_NAME]


def plan_template():
    """An xlsx file to fill in: the columns with example rows (a group that goes wholly to a
    new ward's group, two that merge, one split in two, one dissolved), and what each holds."""
    example = Dataset(headers=[*PLAN_COLUMNS, NOTE], title=_("Plan"))
    for row in (
        ("00001", "01", "90001", "Phường Mới", "01", "01", "Tổ dân phố số 1", ""),
        ("00001", "02", "90001", "Phường Mới", "01", "02", "Tổ dân phố số 2", ""),
        ("00001", "03", "90001", "Phường Mới", "01", "02", "Tổ dân phố số 2", ""),
        ("00002", "01", "90001", "Phường Mới", "01", "03", "Tổ dân phố số 3", _("Part")),
        ("00002", "01", "90002", "Phường Khác", "01", "01", "Tổ dân phố số 1", _("Part")),
        ("00002", "02", "", "", "", "", "", ""),
    ):
        example.append(row)
    notes = Dataset(headers=[_("Column"), _("What it holds")], title=_("Notes"))
    for column, text in (
        (OLD_WARD, _("The code of the ward the group is in before the reorganisation.")),
        (OLD_GROUP, _("The code of that group; several rows for a group split in parts.")),
        (NEW_WARD, _("The ward it goes to, new or going on; empty: the group is dissolved.")),
        (NEW_WARD_NAME, _("The name of a new ward (the first row that names it).")),
        (NEW_UNIT, _("The code of the managing unit of a new ward.")),
        (NEW_GROUP, _("The group it goes to; groups going to one group merge.")),
        (NEW_GROUP_NAME, _("The name of the new group (else its code).")),
        (NOTE, _("Optional: a note on the succession, e.g. the part of the area.")),
    ):
        notes.append((column, text))
    return xlsx_bytes(example, notes)


def plan_from_table(table, *, user):
    """The plan a table states. A row moves an old group (or a part of it: several rows) to a
    group of a new or going-on ward, establishing the ward (with its name and managing unit)
    and the group (with its name) the first time they are named; a row without a new ward
    dissolves the old group; one without an old group establishes the new one. A ward ends
    once all its groups have gone. Raises PlanRefused naming the rows at fault."""
    missing = [column for column in PLAN_COLUMNS if column not in table.headers]
    if missing:
        raise PlanRefused(
            [
                _("The file lacks the column(s) %(missing)s.")
                % {"missing": ", ".join(f"“{column}”" for column in missing)}
            ]
        )
    index = {header: position for position, header in enumerate(table.headers)}
    plan, errors = Plan(), []
    new_wards, new_groups = {}, {}
    existing = set(
        Ward.objects.filter(
            code__in={row[index[NEW_WARD]] for _number, row in table.rows} - {""}
        ).values_list("code", flat=True)
    )
    units = {
        unit.code: unit
        for unit in (District.objects.managed_by(user) if user else District.objects.all())
    }
    for number, row in table.rows:
        cell = {column: str(row[index[column]] or "").strip() for column in PLAN_COLUMNS}
        note = cell[NOTE] = str(row[index[NOTE]] or "").strip() if NOTE in index else ""
        problem = _row_problem(cell)
        if problem:
            errors.append(_("Row %(row)s: %(problem)s") % {"row": number, "problem": problem})
            continue
        ward, group = cell[NEW_WARD], cell[NEW_GROUP]
        if ward and ward not in existing and ward not in new_wards:
            unit = units.get(cell[NEW_UNIT])
            if unit is None or not cell[NEW_WARD_NAME]:
                errors.append(
                    _("Row %(row)s: the new ward %(ward)s needs its name and the code of a "
                      "managing unit you may change.")
                    % {"row": number, "ward": ward}
                )  # fmt: skip
                continue
            new_wards[ward] = NewWard(ward, cell[NEW_WARD_NAME], unit)
        if ward and (ward, group) not in new_groups:
            new_groups[(ward, group)] = NewGroup(ward, group, cell[NEW_GROUP_NAME] or group)
        if cell[OLD_WARD] and ward:
            plan.moves.append(Move(cell[OLD_WARD], cell[OLD_GROUP], ward, group))
            if note:
                plan.notes[(cell[OLD_WARD], ward)] = note
        elif cell[OLD_WARD]:
            plan.dissolved_groups.append((cell[OLD_WARD], cell[OLD_GROUP]))
    if errors:
        raise PlanRefused(errors)
    plan.wards, plan.groups = list(new_wards.values()), list(new_groups.values())
    plan.ends = _wards_left_empty(plan)
    return plan


# What a plan's row writes, and the column that holds it.
WRITTEN = {
    NEW_WARD: Ward._meta.get_field("code"),
    NEW_WARD_NAME: Ward._meta.get_field("name"),
    NEW_GROUP: ResidentialGroup._meta.get_field("code"),
    NEW_GROUP_NAME: ResidentialGroup._meta.get_field("name"),
    NOTE: WardSuccession._meta.get_field("note"),
}


def _row_problem(cell):
    for column, field in WRITTEN.items():
        if len(cell.get(column, "")) > field.max_length:
            return _("“%(column)s” has more than %(limit)s characters.") % {
                "column": column,
                "limit": field.max_length,
            }
    if not (cell[OLD_WARD] or cell[NEW_WARD]):
        return _("it names no ward.")
    if bool(cell[OLD_WARD]) != bool(cell[OLD_GROUP]):
        return _("an old group needs both its ward's code and its own.")
    if bool(cell[NEW_WARD]) != bool(cell[NEW_GROUP]):
        return _("a new group needs both its ward's code and its own.")
    return None


def _wards_left_empty(plan):
    """The old wards all of whose current groups the plan moves away or dissolves."""
    leaving = {(m.ward_code, m.group_code) for m in plan.moves if m.to_ward_code != m.ward_code}
    leaving |= set(plan.dissolved_groups)
    staying_in_place = {m.ward_code for m in plan.moves if m.to_ward_code == m.ward_code}
    codes = {code for code, _group in leaving} - staying_in_place
    current = ResidentialGroup.objects.filter(ward__code__in=codes, valid_until__isnull=True)
    groups = {}
    for ward_code, code in current.values_list("ward__code", "code"):
        groups.setdefault(ward_code, set()).add(code)
    return sorted(code for code in codes if {(code, g) for g in groups.get(code, ())} <= leaving)


def describe(outcome):
    """The outcome in sentences, for a preview."""
    lines = [
        _("Wards established: %(wards)s.")
        % {"wards": ", ".join(f"{w.name} ({w.code})" for w in outcome.wards) or "–"},
        _("Residential groups established: %(count)s.") % {"count": len(outcome.groups)},
        _("Wards that end: %(wards)s.")
        % {"wards": ", ".join(w.name for w in outcome.ended_wards) or "–"},
        _("Residential groups that end: %(count)s.") % {"count": len(outcome.ended_groups)},
    ]
    names = {ward.code: f"{ward.name} ({ward.code})" for ward in outcome.wards}
    names |= {ward.code: f"{ward.name} ({ward.code})" for ward in outcome.ended_wards}
    for old, new in outcome.ward_successions:
        lines.append(f"{names.get(old, old or '–')} → {names.get(new, new or '–')}")
    return lines
