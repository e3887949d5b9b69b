"""The demo year follows the seeds' daily pattern, and loading it twice adds nothing."""

from __future__ import annotations

from datetime import date

import pytest

from vangnet.accounts.models import Role
from vangnet.chat.models import Conversation
from vangnet.demo.activity import load_demo_activity
from vangnet.insights import figures, rollup
from vangnet.insights.selectors import Period
from vangnet.testing.factories import RegionFactory, make_user, national_desk

pytestmark = pytest.mark.django_db


def test_demo_year_chats_peak_at_lunch_and_at_the_end_of_the_day():
    national_desk()
    utrecht = RegionFactory.create(code="VT09", name="Utrecht")
    make_user(Role.TRIAGE, region=utrecht)
    today = date(2026, 6, 1)
    assert load_demo_activity(today=today) > 0
    assert load_demo_activity(today=today) == 0
    rollup.rebuild()

    year = Period(date(2025, 6, 1), date(2026, 5, 31))
    chat = figures.heat_map((utrecht.pk,), year)["chat"]
    per_hour = [sum(day[hour] for day in chat) for hour in range(24)]
    assert per_hour[12] > per_hour[9] and per_hour[16] > per_hour[14]
    assert sum(per_hour[:9]) == sum(per_hour[17:]) == 0  # open 9:00-17:00
    assert sum(map(sum, chat[5:])) == 0  # working days only
    answered = Conversation.objects.filter(home_region=utrecht, accepted_at__isnull=False)
    assert answered.count() == sum(per_hour)
    police = figures.sums_by_key((utrecht.pk,), year, "report_source")["police"]
    assert 0.55 < police / figures.period_figures((utrecht.pk,), year).reports_total < 0.75
