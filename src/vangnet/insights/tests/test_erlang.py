"""Erlang C against published values."""

from __future__ import annotations

import pytest

from vangnet.insights.erlang import agents_needed, average_wait_seconds, erlang_c, service_level


@pytest.mark.parametrize(
    ("traffic", "agents", "expected"),
    [
        # Exact values of the formula, as in every Erlang C table: C(2, 1) = 1/3, C(3, 2) = 4/9.
        (1, 2, 1 / 3),
        (2, 3, 4 / 9),
        # The worked example of Call Centre Helper's "Erlang C formula - made simple"
        # (100 calls per half hour, 180 s handling time: 10 Erlangs; 11 agents): 68.21 %.
        (10, 11, 0.6821),
        (10, 14, 0.1741),
    ],
)
def test_probability_of_waiting_matches_published_tables(traffic, agents, expected):
    assert erlang_c(traffic, agents) == pytest.approx(expected, abs=5e-5)


def test_service_level_and_answer_time_of_the_published_worked_example():
    # Same example: 20-second target; 11 agents answer 39.0 %, average wait 122.8 s;
    # 14 agents are the first to reach 80 % (88.8 %).
    assert service_level(10, 11, 180, 20) == pytest.approx(0.3896, abs=5e-4)
    assert average_wait_seconds(10, 11, 180) == pytest.approx(122.8, abs=0.05)
    assert service_level(10, 13, 180, 20) == pytest.approx(0.7956, abs=5e-4)
    staffing = agents_needed(
        arrivals_per_hour=200, handling_seconds=180, target_level=0.8, target_seconds=20
    )
    assert staffing.agents == 14
    assert staffing.service_level == pytest.approx(0.8884, abs=5e-4)


def test_no_chats_need_no_one_and_a_full_queue_is_never_enough():
    assert (
        agents_needed(
            arrivals_per_hour=0, handling_seconds=900, target_level=0.8, target_seconds=60
        ).agents
        == 0
    )
    assert erlang_c(5, 5) == 1.0
    assert service_level(5, 4, 900, 60) == 0.0


def test_pooling_needs_fewer_people_than_separate_queues():
    # Four regions with 2 chats an hour of 15 minutes, 80 % within 60 seconds.
    apart = agents_needed(
        arrivals_per_hour=2, handling_seconds=900, target_level=0.8, target_seconds=60
    ).agents
    pooled = agents_needed(
        arrivals_per_hour=8, handling_seconds=900, target_level=0.8, target_seconds=60
    ).agents
    assert pooled < 4 * apart
