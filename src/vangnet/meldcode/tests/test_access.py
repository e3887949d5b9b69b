# ruff: noqa: E501  (a table: one request per line, one column per visitor)
"""The meldcode's own access matrix: the visitors the project matrix cannot tell apart.

A record belongs to the professional who opened it and to their organisation: its owner
reads and writes, the organisation's contact person (aandachtsfunctionaris) reads, everyone
else is refused (and the refusal logged). Each row runs every visitor in a fresh world.
"""

from __future__ import annotations

import pytest
from django.test import Client

from vangnet.accounts.models import Role, User
from vangnet.audit.models import AccessLogAction, AccessLogEntry
from vangnet.testing.auth import login_verified
from vangnet.testing.factories import make_user

from .factories import School, open_record, school

pytestmark = pytest.mark.django_db

VISITORS = ("owner", "colleague", "contact_person", "other_contact_person", "advice_desk")

OK, RD = 200, "302"
# fmt: off
MATRIX = [
    # request                                  owner colleague contact other-contact desk
    ("GET /partner/meldcode/{record}/",             (OK,  403,  OK,  403, 403)),
    ("GET /partner/meldcode/{record}/signals/",     (OK,  403,  OK,  403, 403)),
    ("POST /partner/meldcode/{record}/signals/",    (RD,  403,  403, 403, 403)),
    ("GET /partner/meldcode/{record}/consultation/", (OK, 403,  OK,  403, 403)),
    ("POST /partner/meldcode/{record}/consultation/", (RD, 403, 403, 403, 403)),
    ("GET /partner/meldcode/{record}/advice/",      (OK,  403,  OK,  403, 403)),
    ("POST /partner/meldcode/{record}/advice/",     (RD,  403,  403, 403, 403)),
    ("GET /partner/meldcode/{record}/conversation/", (OK, 403,  OK,  403, 403)),
    ("POST /partner/meldcode/{record}/conversation/", (RD, 403, 403, 403, 403)),
    ("GET /partner/meldcode/{record}/weighing/",    (OK,  403,  OK,  403, 403)),
    ("POST /partner/meldcode/{record}/weighing/",   (RD,  403,  403, 403, 403)),
    ("GET /partner/meldcode/{record}/decision/",    (OK,  403,  OK,  403, 403)),
    ("POST /partner/meldcode/{record}/decision/",   (400, 403,  403, 403, 403)),  # step 4 not done yet
    ("GET /partner/meldcode/{record}/report/",      (OK,  403,  OK,  403, 403)),
    ("POST /partner/meldcode/{record}/report/",     (400, 403,  403, 403, 403)),  # no decision to report
    ("POST /partner/meldcode/{record}/report/online/", (400, 403, 403, 403, 403)),  # no decision
    ("POST /partner/meldcode/{record}/reminders/",  (RD,  403,  403, 403, 403)),
    ("GET /partner/meldcode/{record}/pdf/",         (OK,  403,  OK,  403, 403)),
    ("GET /partner/meldcode/{missing}/",            (404, 404,  404, 404, 403)),
]
# fmt: on

BODIES = {
    "signals": {"observed_on": "2026-01-05", "codes": ["absence"]},
    "consultation": {"consulted": "colleague", "held_on": "2026-01-05", "notes": "Herkent het."},
    "advice": {"summary": "Blauwe plekken.", "callback_phone": "030-1234567"},
    "conversation": {
        "held_on": "2026-01-05",
        "participants": "moeder en ik",
        "summary": "Moeder schrok.",
    },
    "weighing": {"question": "1", "answer": "yes", "reasoning": "Signalen en gesprek."},
    "decision": {"decision": "report", "reasoning": "Meldnorm."},
    "report": {"parents_informed": "yes"},
    "online": {"child_name": "Noor", "parents_informed": "yes"},
    "reminders": {"due_on": "2099-01-01", "note": "Werkt de hulp?"},
}


def visitor_of(name: str, s: School, other: School) -> User:
    return {
        "owner": s.teacher,
        "colleague": s.colleague,
        "contact_person": s.contact_person,
        "other_contact_person": other.contact_person,
        "advice_desk": make_user(Role.ADVICE_DESK, region=s.region),
    }[name]


@pytest.mark.parametrize(("request_line", "row"), MATRIX, ids=[line for line, _ in MATRIX])
@pytest.mark.parametrize("index", range(len(VISITORS)), ids=VISITORS)
def test_meldcode_access(request_line, row, index):
    s = school()
    other = school(region=s.region, name="Het Kompas")
    record = open_record(s.teacher)
    user = visitor_of(VISITORS[index], s, other)
    client = login_verified(Client(), user)
    method, path = request_line.split(" ", 1)
    url = path.format(record=record.pk, missing=987654)
    step = url.rstrip("/").rsplit("/", 1)[-1]
    before = AccessLogEntry.objects.filter(action=AccessLogAction.REFUSED).count()
    response = client.post(url, BODIES.get(step, {})) if method == "POST" else client.get(url)
    got = str(response.status_code) if response.status_code == 302 else response.status_code
    assert got == row[index]
    refused = AccessLogEntry.objects.filter(action=AccessLogAction.REFUSED).count() - before
    assert refused == (1 if got == 403 else 0)
    if got == 403:
        record.refresh_from_db()
        assert record.timeline.count() == 1  # nothing changed
