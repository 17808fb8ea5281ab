from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.demo import load_demo_seminar
from meetings.selectors import seminar_facts
from reports import tallies
from reports.selectors import district_totals
from teams.demo import load_demo_teams
from wards.demo import DEMO_PASSWORD, load_demo_units, load_demo_users


class Command(BaseCommand):
    help = _(
        "Load the demo data: Quận Long Biên, its 14 wards, their teams and a year of their "
        "work, the 2019 seminar on mobilization teams, and a demo login per role. Running it "
        "again creates only what is missing."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            district = load_demo_units()
            load_demo_teams(district, today=timezone.localdate())
            seminar = load_demo_seminar(district)
            users = load_demo_users(district)
            tallies.rebuild()  # the demo's records are written in bulk

        self.stdout.write(
            _(
                "%(district)s: %(wards)d wards, %(groups)d residential groups, %(teams)d teams, "
                "%(members)d members, %(activities)d activities, %(feedback)d citizen feedback."
            )
            % {"district": district, **district_totals(district=district)}
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
