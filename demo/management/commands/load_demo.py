import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.demo import load_demo_award_cycle
from meetings.demo import load_demo_plan, load_demo_seminar
from meetings.selectors import seminar_facts
from reports import tallies
from reports.selectors import district_totals
from teams.demo import (
    load_demo_duplicate,
    load_demo_exemplary_models,
    load_demo_planned_training,
    load_demo_teams,
    load_demo_trainings,
    load_demo_work,
    reorganise_demo_teams,
)
from teams.models import Training
from wards.demo import (
    DEMO_PASSWORD,
    REFORM_DAY,
    load_demo_reform,
    load_demo_units,
    load_demo_users,
)
from wards.models import ResidentialGroup, User, Ward
from workreports.demo import load_demo_work_reports

# The demo's work begins a year before the reform; the old wards' last day is its eve.
WORK_SINCE = datetime.date(2024, 7, 1)
REFORM_EVE = REFORM_DAY - datetime.timedelta(days=1)


def groups_of(district):
    return list(ResidentialGroup.objects.filter(ward__district=district).select_related("ward"))


class Command(BaseCommand):
    help = _(
        "Load the demo data: Quận Long Biên, its 14 wards, their teams and their work, the "
        "2019 seminar on mobilization teams; the reform of 1/7/2025 into four new wards of the "
        "city of Hà Nội, their teams and their work since; and a demo login per role. Running "
        "it again creates only what is missing."
    )

    def handle(self, *args, **options):
        today = timezone.localdate()
        with transaction.atomic():
            district = load_demo_units()
            before = groups_of(district)
            load_demo_teams(before)
            load_demo_work(
                before, first=WORK_SINCE, last=min(today, REFORM_EVE), person_offset=5000
            )
            load_demo_exemplary_models(before, years=[WORK_SINCE.year, REFORM_DAY.year])
            load_demo_trainings(district, year=REFORM_DAY.year, level=Training.Level.DISTRICT)
            seminar = load_demo_seminar(district)
            city = load_demo_reform(district)
            after = groups_of(city)
            reorganise_demo_teams(after)
            load_demo_plan(city, year=today.year)
            load_demo_work(after, first=REFORM_DAY, last=today, person_offset=7000)
            # In the first ward's groups, whose officer signs in to the demo.
            load_demo_duplicate([g for g in after if g.ward_id == after[0].ward_id])
            load_demo_planned_training(after[0].ward, today=today)
            load_demo_exemplary_models(after, years=range(REFORM_DAY.year, today.year))
            if datetime.date(REFORM_DAY.year + 1, 3, 15) <= today:
                load_demo_trainings(city, year=REFORM_DAY.year + 1, level=Training.Level.CITY)
            users = load_demo_users()
            load_demo_award_cycle(
                list(Ward.objects.filter(district=city).order_by("name")),
                today=today,
                officer=User.objects.get(username="canbo.bode"),
                staff=User.objects.get(username="canbo.thanhpho"),
            )
            tallies.rebuild()  # the demo's records are written in bulk
            load_demo_work_reports(
                city,
                staff=User.objects.get(username="canbo.thanhpho"),
                officer=User.objects.get(username="canbo.bode"),
                today=today,
            )

        for unit in (district, city):
            self.stdout.write(
                _(
                    "%(district)s: %(wards)d wards, %(groups)d residential groups, %(teams)d "
                    "teams, %(members)d members, %(activities)d activities, %(feedback)d "
                    "citizen feedback."
                )
                % {"district": unit, **district_totals(district=unit)}
            )
        facts = seminar_facts(seminar=seminar)
        self.stdout.write(
            _(
                "Seminar “%(title)s”: %(sessions)d clusters, %(wards)d wards, %(leaders)d "
                "leaders, %(contributions)d contributions (%(per_session)s), %(points)d "
                "directing points, %(tasks)d tasks assigned %(assignments)d times."
            )
            % {
                "title": seminar.title,
                "sessions": len(facts.sessions),
                "wards": facts.ward_count,
                "leaders": len(facts.leaders),
                "contributions": facts.contribution_count,
                "per_session": ", ".join(
                    _("%(count)d in cluster %(number)d")
                    % {"count": session.contribution_count, "number": session.number}
                    for session in facts.sessions
                ),
                "points": facts.directive_point_count,
                "tasks": facts.task_count,
                "assignments": facts.assignment_count,
            }
        )
        self.stdout.write(_("Demo logins (http://127.0.0.1:8000/):"))
        for user, role, has_demo_password in users:
            password = DEMO_PASSWORD if has_demo_password else _("(changed since it was created)")
            role_name = role.label if role else _("Superuser")
            self.stdout.write(
                self.style.SUCCESS(f"  {user.username:<20} {password:<18} {role_name}")
            )
