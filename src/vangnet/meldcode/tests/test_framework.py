"""The decision framework: every path through the five questions gives the outcome the
meldcode prescribes (DOMAIN.md "The meldcode")."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vangnet.meldcode.framework import (
    QUESTIONS,
    FrameworkOutcome,
    all_paths,
    prescribed_outcome,
)

# The protocol, written out once more by hand: the table must say the same.
EXPECTED_PATHS = [
    ({1: False}, FrameworkOutcome.CLOSE, 1),
    ({1: True, 2: True}, FrameworkOutcome.REPORT, 2),
    ({1: True, 2: False, 3: False}, FrameworkOutcome.REPORT, 3),
    ({1: True, 2: False, 3: True, 4: False}, FrameworkOutcome.REPORT, 4),
    ({1: True, 2: False, 3: True, 4: True, 5: False}, FrameworkOutcome.REPORT, 5),
    ({1: True, 2: False, 3: True, 4: True, 5: True}, FrameworkOutcome.CLOSE_WITH_FOLLOW_UP, 5),
]


def test_the_table_has_the_five_questions_in_order():
    assert [q.number for q in QUESTIONS] == [1, 2, 3, 4, 5]
    assert str(QUESTIONS[1].text).startswith("Is er sprake van acute onveiligheid")


def test_the_table_holds_exactly_the_paths_of_the_protocol():
    assert sorted(map(repr, all_paths())) == sorted(map(repr, EXPECTED_PATHS))


@pytest.mark.parametrize(("answers", "outcome", "decided_by"), all_paths())
def test_each_path_leads_to_its_prescribed_outcome(answers, outcome, decided_by):
    result = prescribed_outcome(answers)
    assert result.outcome == outcome
    assert result.decided_by == decided_by
    assert result.next_question is None
    assert result.path == tuple(sorted(answers))
    assert result.explanation  # every outcome is explained in plain Dutch


def test_after_yes_on_question_2_the_rest_is_gone_through_with_veilig_thuis():
    result = prescribed_outcome({1: True, 2: True})
    assert result.outcome == FrameworkOutcome.REPORT
    assert result.together_with_veilig_thuis
    # The meldnorm: what is answered after it does not undo the report.
    assert prescribed_outcome({1: True, 2: True, 3: True, 4: True, 5: True}).outcome == (
        FrameworkOutcome.REPORT
    )


def test_nothing_answered_asks_question_1():
    result = prescribed_outcome({})
    assert (result.outcome, result.next_question, result.path) == (None, 1, (1,))


def test_help_that_still_has_to_prove_itself_waits_on_question_5():
    result = prescribed_outcome({1: True, 2: False, 3: True, 4: True})
    assert result.outcome is None
    assert result.next_question == 5


answers_strategy = st.dictionaries(
    keys=st.integers(min_value=1, max_value=5),
    values=st.one_of(st.none(), st.booleans()),
)


@given(answers_strategy)
def test_any_answers_follow_the_protocol(answers):
    result = prescribed_outcome(answers)
    # The path starts at 1 and goes up one question at a time.
    assert result.path == tuple(range(1, len(result.path) + 1))
    # Every question before the last on the path was answered in the way that leads on.
    for number in result.path[:-1]:
        assert answers[number] is (number != 2)
    last = result.path[-1]
    if result.outcome is None:
        assert answers.get(last) is None and result.next_question == last
    else:
        given_answer = answers[last]
        assert result.decided_by == last
        if last == 1:
            assert given_answer is False and result.outcome == FrameworkOutcome.CLOSE
        elif last == 2:
            assert given_answer is True and result.outcome == FrameworkOutcome.REPORT
        elif last == 5 and given_answer:
            assert result.outcome == FrameworkOutcome.CLOSE_WITH_FOLLOW_UP
        else:
            assert given_answer is False and result.outcome == FrameworkOutcome.REPORT
    # Answers off the path change nothing.
    off_path = {n: not v for n, v in answers.items() if n not in result.path and v is not None}
    assert prescribed_outcome({**answers, **off_path}) == result
