"""What each role may do, as a table to read and review: the expected answer of every access
test (`test_grants.py` checks the roles against it, `test_access.py` every URL).

A superuser may do everything; anonymous visitors nothing but sign in. Which records a role
may do it to is its scope (`wards/scope.py`), not this table.
"""

from wards.roles import Role

ROLES = (Role.ADMINISTRATOR, Role.DISTRICT_STAFF, Role.WARD_OFFICER, Role.VIEWER)
ACTIONS = ("view", "add", "change", "delete", "import", "export")

NONE = ""
VIEW = "view"
ALL = "view add change delete"
ALL_EXPORT = "view add change delete export"
ALL_IMPORT = "view add change delete import"
ALL_FILES = "view add change delete import export"

# fmt: off
GRANTS = {
    # model                     administrator         district staff   ward officer  viewer
    "wards.district":           ("view change export", "view export",  VIEW,         VIEW),
    "wards.ward":               (ALL_FILES,            VIEW,           VIEW,         VIEW),
    "wards.residentialgroup":   (ALL_FILES,            ALL_EXPORT,     ALL,          VIEW),
    "wards.user":               (ALL,                  NONE,           NONE,         NONE),
    "wards.securityevent":      (VIEW,                 NONE,           NONE,         NONE),
    # Reorganisations are recorded by a superuser; every user reads them on the lineage page.
    "wards.reorganisation":     (NONE,                 NONE,           NONE,         NONE),
    "wards.wardsuccession":     (NONE,                 NONE,           NONE,         NONE),
    "wards.groupsuccession":    (NONE,                 NONE,           NONE,         NONE),
    "wards.wardancestor":       (NONE,                 NONE,           NONE,         NONE),
    "core.importjob":           (NONE,                 NONE,           NONE,         NONE),
    # The log of reminders e-mailed: the sender's, nobody's to edit.
    "reminders.sentreminder":   (NONE,                 NONE,           NONE,         NONE),
    "teams.team":               (ALL_FILES,            ALL_FILES,      ALL,          VIEW),
    "teams.member":             (ALL_FILES,            ALL_FILES,      ALL_FILES,    VIEW),
    "teams.activity":           (ALL_FILES,            ALL_FILES,      ALL_FILES,    VIEW),
    "teams.citizenfeedback":    (ALL_FILES,            ALL_FILES,      ALL_FILES,    VIEW),
    "teams.exemplarymodel":     (ALL_FILES,            ALL_FILES,      ALL,          VIEW),
    "teams.training":           (ALL_FILES,            ALL_FILES,      ALL_FILES,    VIEW),
    "teams.prestigiousperson":  (ALL_FILES,            ALL_FILES,      ALL_FILES,    VIEW),
    "people.person":            (ALL_FILES,            ALL_FILES,      ALL_FILES,    VIEW),
    "people.position":          (ALL_FILES,            ALL_FILES,      ALL_FILES,    VIEW),
    # The log of merges: written by a merge (on the person's page), read there.
    "people.personmerge":       (NONE,                 NONE,           NONE,         NONE),
    # A feedback's follow-up log: added to on the feedback's page, never edited.
    "teams.feedbackstep":       (NONE,                 NONE,           NONE,         NONE),
    # A model's evaluations and evidence: added on its page (awards.services decides who),
    # read there; never edited.
    "awards.evaluation":        (NONE,                 NONE,           NONE,         NONE),
    "awards.evidence":          (NONE,                 NONE,           NONE,         NONE),
    "meetings.seminar":         (ALL,                  ALL,            VIEW,         VIEW),
    "meetings.seminarsession":  (ALL,                  ALL,            VIEW,         VIEW),
    "meetings.attendee":        (ALL,                  ALL,            VIEW,         VIEW),
    "meetings.contribution":    (ALL,                  ALL,            VIEW,         VIEW),
    "meetings.directivepoint":  (ALL,                  ALL,            VIEW,         VIEW),
    "meetings.directive":       (ALL,                  ALL,            VIEW,         VIEW),
    # The Front and the associations: vocabulary a migration writes, nobody's to edit.
    "meetings.body":            (NONE,                 NONE,           NONE,         NONE),
    "meetings.directivetask":   (ALL,                  ALL,            VIEW,         VIEW),
    "meetings.taskassignment":  (ALL,                  ALL,            VIEW,         VIEW),
    "meetings.progressreport":  (ALL_FILES,            ALL_FILES,      ALL_IMPORT,   VIEW),
    # The reporting cycle: the unit asks and gathers, the ward writes and sends.
    "workreports.reportingperiod":    ("view add change", "view add change", NONE, VIEW),
    "workreports.consolidatedreport": ("view add change", "view add change", NONE, VIEW),
    "workreports.wardreport":   ("view change review", "view review",   "view change", VIEW),
    "workreports.reportevent":  (NONE,                 NONE,           NONE,         NONE),
    # The register of outgoing documents: numbers are taken by issuing, never typed.
    "registry.issueddocument":  (VIEW,                 VIEW,           NONE,         VIEW),
    "registry.documentsequence": (NONE,                NONE,           NONE,         NONE),
}
# fmt: on

# The managing unit's dashboards (the overview and its workbook): for those who work for a
# unit as a whole. Ward officers have their ward's dashboard instead.
UNIT_PAGES = {
    Role.ADMINISTRATOR: True,
    Role.DISTRICT_STAFF: True,
    Role.WARD_OFFICER: False,
    Role.VIEWER: True,
}


def granted(role):
    """{(model label, action)} the table grants `role`."""
    column = ROLES.index(role)
    return {(label, action) for label, row in GRANTS.items() for action in row[column].split()}


def may(role, action, label):
    """Whether `role` may `action` records of `label` (None: a superuser, who may all)."""
    return role is None or (label, action) in granted(role)
