"""Erlang C: how many employees a queue needs for a service level.

The textbook M/M/c formulas (A. K. Erlang, 1917), as used for call-centre staffing: with
traffic A = arrivals per hour x handling time in hours and N employees,

    P(wait) = C(N, A) = N·B / (N - A·(1 - B)), B the Erlang B blocking probability,
    service level = 1 - C(N, A) · exp(-(N - A) · t / handling time),
    average wait = C(N, A) · handling time / (N - A).

B comes from the stable recursion B(0) = 1, B(n) = A·B(n-1) / (n + A·B(n-1)), so large
traffic does not overflow factorials. Checked against published Erlang C tables in
`tests/test_erlang.py`. Small on purpose: the maintained libraries we found pull in
numpy/pandas for these few lines (ADR 0025).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MAX_AGENTS = 1000


def erlang_b(traffic: float, agents: int) -> float:
    blocking = 1.0
    for n in range(1, agents + 1):
        blocking = traffic * blocking / (n + traffic * blocking)
    return blocking


def erlang_c(traffic: float, agents: int) -> float:
    """The probability that an arriving contact has to wait."""
    if traffic <= 0:
        return 0.0
    if agents <= traffic:
        return 1.0
    blocking = erlang_b(traffic, agents)
    return agents * blocking / (agents - traffic * (1 - blocking))


def service_level(
    traffic: float, agents: int, handling_seconds: float, target_seconds: float
) -> float:
    """The share of contacts answered within `target_seconds`."""
    if traffic <= 0:
        return 1.0
    if agents <= traffic:
        return 0.0
    waiting = erlang_c(traffic, agents)
    return 1 - waiting * math.exp(-(agents - traffic) * target_seconds / handling_seconds)


def average_wait_seconds(traffic: float, agents: int, handling_seconds: float) -> float:
    if traffic <= 0:
        return 0.0
    if agents <= traffic:
        return math.inf
    return erlang_c(traffic, agents) * handling_seconds / (agents - traffic)


@dataclass(frozen=True)
class Staffing:
    arrivals_per_hour: float
    handling_seconds: float
    traffic: float  # Erlangs
    agents: int
    service_level: float
    wait_probability: float
    average_wait_seconds: float


def agents_needed(
    *,
    arrivals_per_hour: float,
    handling_seconds: float,
    target_level: float,
    target_seconds: float,
) -> Staffing:
    """The fewest employees that answer `target_level` of contacts within `target_seconds`."""
    traffic = arrivals_per_hour * handling_seconds / 3600
    if traffic <= 0:
        return Staffing(arrivals_per_hour, handling_seconds, 0.0, 0, 1.0, 0.0, 0.0)
    agents = max(1, math.floor(traffic) + 1)
    while agents < MAX_AGENTS:
        level = service_level(traffic, agents, handling_seconds, target_seconds)
        if level >= target_level:
            break
        agents += 1
    return Staffing(
        arrivals_per_hour=arrivals_per_hour,
        handling_seconds=handling_seconds,
        traffic=traffic,
        agents=agents,
        service_level=service_level(traffic, agents, handling_seconds, target_seconds),
        wait_probability=erlang_c(traffic, agents),
        average_wait_seconds=average_wait_seconds(traffic, agents, handling_seconds),
    )
