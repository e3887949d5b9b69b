"""A year of demo activity for `make demo`, so the dashboard and the forecast show a true shape.

For the demo regions: contacts by phone, letter and in person (phone in bursts, quiet at
night), chats on working days 9-17 that peak around lunch and at the end of the day and last
15-20 minutes with outliers near 90 (seed 003), and reports — about two thirds from the police
— that were triaged, mostly within 5 working days, and closed. Everything is generated with
`bulk_create` from a fixed seed; no row names a real person. Loading twice adds nothing.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from vangnet.accounts.models import Membership
from vangnet.chat.models import Conversation, ConversationStatus
from vangnet.contacts.models import AskerType, Channel, Contact, Sector, ViolenceForm
from vangnet.core.workdays import add_working_days, is_working_day
from vangnet.regions.models import Region
from vangnet.reports.models import Report, Reporter, ReporterFeedback
from vangnet.reports.workflow import ReportState, TriageOutcome

DEMO_REGIONS = ("VT09", "VT13", "VT22")
DEMO_SUMMARY = "Demo-activiteit: advies gegeven (gegenereerd)."
DAYS = 365

# Relative weight per hour of the day (0-23).
PHONE_HOURS = [1, 1, 0, 0, 0, 0, 1, 2, 6, 10, 11, 10, 8, 9, 10, 9, 8, 5, 3, 3, 2, 2, 1, 1]
# Seed 003: most chats start around lunch and at the end of the working day (open 9-17).
CHAT_HOURS = [0] * 9 + [4, 5, 7, 12, 9, 6, 7, 11, 0] + [0] * 6
FORMS = [
    (ViolenceForm.PARTNER_VIOLENCE, 30),
    (ViolenceForm.WITNESSING, 20),
    (ViolenceForm.PSYCHOLOGICAL_ABUSE, 15),
    (ViolenceForm.PHYSICAL_ABUSE, 12),
    (ViolenceForm.NEGLECT, 10),
    (ViolenceForm.CONFLICT_DIVORCE, 6),
    (ViolenceForm.SEXUAL_ABUSE, 3),
    (ViolenceForm.ELDER_ABUSE, 2),
    (ViolenceForm.HONOUR_BASED, 1),
    (ViolenceForm.OTHER, 1),
]
# DOMAIN.md: about two thirds of reports come from the police.
SOURCES = [
    (Sector.POLICE, True, 64),
    (Sector.EDUCATION, True, 7),
    (Sector.HEALTHCARE, True, 7),
    (Sector.YOUTH_CARE, True, 5),
    (Sector.SOCIAL_SUPPORT, True, 3),
    (Sector.CHILDCARE, True, 2),
    ("", False, 12),
]
ASKERS = [
    (AskerType.PROFESSIONAL, 40),
    (AskerType.BYSTANDER, 20),
    (AskerType.FAMILY, 15),
    (AskerType.VICTIM, 15),
    (AskerType.CHILD, 6),
    (AskerType.OTHER, 4),
]
OUTCOMES = [
    (TriageOutcome.LOCAL_TEAM, 45),
    (TriageOutcome.CONDITIONS, 25),
    (TriageOutcome.INVESTIGATION, 15),
    (TriageOutcome.NO_FURTHER_ACTION, 13),
    (TriageOutcome.ACUTE_INTERVENTION, 2),
]


def _pick(rng: random.Random, weighted: list) -> Any:
    return rng.choices(
        [w[:-1] if len(w) > 2 else w[0] for w in weighted], [w[-1] for w in weighted]
    )[0]


def _moment(rng: random.Random, day: date, hours: list[int]) -> datetime:
    hour = rng.choices(range(24), hours)[0]
    return timezone.make_aware(
        datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)))
    )


def _chat_minutes(rng: random.Random) -> int:
    # Seed 003: usually 15-20 minutes, some a few minutes, outliers about 90.
    roll = rng.random()
    if roll < 0.04:
        return rng.randint(75, 95)
    if roll < 0.15:
        return rng.randint(2, 8)
    return max(5, round(rng.gauss(17.5, 4)))


@transaction.atomic
def load_demo_activity(*, today: date | None = None, seed: int = 2026) -> int:
    """Generate the year; returns the number of rows written (0 when it is already there)."""
    if Contact.objects.filter(summary=DEMO_SUMMARY).exists():
        return 0
    today = today or timezone.localdate()
    rng = random.Random(seed)  # noqa: S311  (demo data from a fixed seed, not a secret)
    desk = Region.objects.filter(is_national_desk=True).first()
    contacts: list[Contact] = []
    chats: list[Conversation] = []
    reports: list[tuple[Report, tuple, datetime | None]] = []
    number = 0
    for region in Region.objects.filter(code__in=DEMO_REGIONS):
        staff = Membership.objects.filter(region=region).values_list("user_id", flat=True).first()
        if staff is None:
            continue
        burst = 1.0
        for offset in range(DAYS, 0, -1):
            day = today - timedelta(days=offset)
            if day.weekday() == 0:
                # Seed 003: the phone comes in bursts; the chat is steady through the year.
                burst = rng.choice([0.8, 1.0, 1.0, 1.2, 1.7])
            working = is_working_day(day)
            for _ in range(round(rng.gauss(16 if working else 4, 2) * burst)):
                contacts.append(_contact(rng, region, day, Channel.PHONE))
            for _ in range(rng.randint(1, 4) if working else 0):
                contacts.append(
                    _contact(rng, region, day, rng.choice([Channel.WRITTEN, Channel.IN_PERSON]))
                )
            for _ in range(max(0, round(rng.gauss(4.5, 1.5))) if working else 0):
                conversation = _chat(rng, region, desk, day)
                chats.append(conversation)
                if conversation.accepted_at is not None:  # close_chat registers the contact
                    chat_contact = _contact(rng, region, day, Channel.CHAT)
                    chat_contact.received_at = conversation.created_at
                    contacts.append(chat_contact)
            if offset < 12:
                continue  # the last days' reports are still in progress: left to the real demo
            for _ in range(max(0, round(rng.gauss(4 if working else 2, 1.2)))):
                number += 1
                reports.append(_report(rng, region, staff, day, number, today))
    Contact.objects.bulk_create(contacts, batch_size=2000)
    Conversation.objects.bulk_create(chats, batch_size=2000)
    Report.objects.bulk_create([r for r, _s, _f in reports], batch_size=1000)
    Reporter.objects.bulk_create(
        [
            Reporter(
                report=report,
                is_professional=professional,
                sector=sector,
                name="Demo-melder",
                anonymous_to_family=not professional,
            )
            for report, (sector, professional), _f in reports
        ],
        batch_size=1000,
    )
    ReporterFeedback.objects.bulk_create(
        [
            ReporterFeedback(report=report, kind=ReporterFeedback.Kind.TRIAGE, at=told)
            for report, _s, told in reports
            if told is not None
        ],
        batch_size=1000,
    )
    return len(contacts) + len(chats) + 2 * len(reports)


def _contact(rng: random.Random, region: Region, day: date, channel: str) -> Contact:
    asker = _pick(rng, ASKERS)
    minutes = max(2, round(rng.gauss(14, 6)))
    return Contact(
        region=region,
        channel=channel,
        duration_minutes=minutes,
        asker_type=asker,
        asker_sector=rng.choice([Sector.EDUCATION, Sector.HEALTHCARE, Sector.YOUTH_CARE])
        if asker == AskerType.PROFESSIONAL
        else "",
        summary=DEMO_SUMMARY,
        forms_of_violence=[_pick(rng, FORMS)],
        advised_to_report=rng.random() < 0.1,
        referral="Lokaal team" if rng.random() < 0.2 else "",
        received_at=_moment(rng, day, PHONE_HOURS),
    )


def _chat(rng: random.Random, region: Region, desk: Region | None, day: date) -> Conversation:
    start = _moment(rng, day, CHAT_HOURS)
    roll = rng.random()
    overflowed = desk is not None and roll < 0.08
    if 0.08 <= roll < 0.13:  # left before an answer
        return Conversation(
            region=region,
            home_region=region,
            created_at=start,
            queued_at=start,
            status=ConversationStatus.ABANDONED,
            ended_at=start + timedelta(seconds=rng.randint(60, 400)),
        )
    wait = int(rng.expovariate(1 / 45)) + (180 if overflowed else 0)
    accepted = start + timedelta(seconds=wait)
    ended = accepted + timedelta(minutes=_chat_minutes(rng))
    return Conversation(
        region=desk if overflowed else region,
        home_region=region,
        created_at=start,
        queued_at=start,
        accepted_at=accepted,
        ended_at=ended,
        closed_at=ended,
        overflowed=overflowed,
        status=ConversationStatus.CLOSED,
        transcript_purged_at=ended,
    )


def _report(
    rng: random.Random, region: Region, staff: int, day: date, number: int, today: date
) -> tuple[Report, tuple, datetime | None]:
    received = _moment(rng, day, PHONE_HOURS)
    due = add_working_days(day, 5)
    # Field norm 90 % within 5 working days: the demo sits just around it.
    days = rng.randint(1, 5) if rng.random() < 0.9 else rng.randint(6, 9)
    triage_day = min(add_working_days(day, days), today - timedelta(days=1))
    triage_at = timezone.make_aware(datetime.combine(triage_day, time(15, 0)))
    outcome = _pick(rng, OUTCOMES)
    fields: dict = {}
    closed_at = triage_at + timedelta(days=rng.randint(1, 10))
    if outcome == TriageOutcome.INVESTIGATION and (today - day).days > 80:
        weeks = rng.uniform(5, 10) if rng.random() < 0.82 else rng.uniform(10.2, 12)
        concluded = triage_at + timedelta(weeks=weeks)
        fields = {
            "investigation_started_at": triage_at,
            "investigation_due_on": triage_day + timedelta(weeks=10),
            "investigation_concluded_at": concluded,
        }
        closed_at = concluded + timedelta(days=3)
    now = timezone.make_aware(datetime.combine(today, time(0, 0)))
    closed_at = min(closed_at, now - timedelta(hours=1))
    told = None
    if rng.random() < 0.95:
        lag = rng.randint(0, 4) if rng.random() < 0.85 else rng.randint(6, 10)
        told = min(
            timezone.make_aware(datetime.combine(add_working_days(triage_day, lag), time(10, 0))),
            now - timedelta(hours=1),
        )
    source = _pick(rng, SOURCES)
    forms = sorted({str(_pick(rng, FORMS)) for _ in range(rng.choice([1, 1, 2]))})
    report = Report(
        reference=f"ME-{day:%Y}-D{number:05d}",
        region=region,
        state=ReportState.CLOSED,
        channel=Channel.PHONE,
        received_at=received,
        received_by_id=staff,
        forms_of_violence=forms,
        concerns="Demo-melding (gegenereerd).",
        assessment_due_on=due,
        acute_unsafety=False,
        structural_unsafety=True,
        assessed_at=triage_at,
        triage_outcome=outcome,
        triage_rationale="Demo.",
        triage_at=triage_at,
        closed_at=closed_at,
        closure_reason="Demo.",
        retention_until=closed_at.date() + timedelta(days=round(365.25 * 20)),
        **fields,
    )
    return report, source, told
