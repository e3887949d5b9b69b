"""The decision framework (afwegingskader) of the meldcode: five questions, one table.

DOMAIN.md "The meldcode" (seed 002; Besluit verplichte meldcode, in force since 1 January
2019). The questions are asked in order, exactly as the framework states them; each answer
either leads to the next question or to the outcome the framework prescribes. The tool
shows that outcome and explains it in plain Dutch; it never decides for the professional.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class FrameworkOutcome(models.TextChoices):
    CLOSE = "close", _("Afsluiten en vastleggen")
    REPORT = "report", _("Melden bij Veilig Thuis")
    CLOSE_WITH_FOLLOW_UP = (
        "close_with_follow_up",
        _("Afsluiten met vervolgafspraken en blijven volgen"),
    )


# What the professional reads under an outcome: what it means and what to do now.
OUTCOME_EXPLANATIONS: dict[str, Promise] = {
    FrameworkOutcome.CLOSE: _(
        "U vermoedt geen huiselijk geweld of kindermishandeling. U sluit het dossier af. "
        "Schrijf op waarom, zodat u of een collega het later terug kan lezen als er opnieuw "
        "zorgen zijn."
    ),
    FrameworkOutcome.REPORT: _(
        "Het afwegingskader schrijft voor dat u een melding doet bij Veilig Thuis. Veilig "
        "Thuis neemt daarna de verantwoordelijkheid voor het zicht op de veiligheid over. "
        "U blijft betrokken bij het kind: houd een vinger aan de pols."
    ),
    FrameworkOutcome.CLOSE_WITH_FOLLOW_UP: _(
        "De hulp werkt. U hoeft niet te melden. Maak vervolgafspraken met de ouders (en het "
        "kind) en blijf volgen hoe het gaat. Komen de zorgen terug, doorloop de vragen dan "
        "opnieuw."
    ),
}


@dataclass(frozen=True)
class Question:
    number: int
    text: Promise
    explanation: Promise
    # Where each answer leads: the number of the next question, or an outcome.
    if_yes: int | FrameworkOutcome
    if_no: int | FrameworkOutcome


# The framework as DOMAIN.md states it: "1 no → close; 2 yes → report (meldnorm); 3 no →
# report; 4 no → report; 5 no → report, yes → close with follow-up agreements and monitoring".
QUESTIONS: tuple[Question, ...] = (
    Question(
        number=1,
        text=_(
            "Heb ik op basis van de stappen 1 tot en met 3 een vermoeden van huiselijk "
            "geweld of kindermishandeling?"
        ),
        explanation=_(
            "Kijk naar de signalen, wat collega's en Veilig Thuis zeiden en het gesprek met "
            "ouders en kind. Nee: u sluit af en legt vast waarom. Ja: door naar vraag 2."
        ),
        if_yes=2,
        if_no=FrameworkOutcome.CLOSE,
    ),
    Question(
        number=2,
        text=_(
            "Is er sprake van acute onveiligheid of structurele onveiligheid, of twijfel daarover?"
        ),
        explanation=_(
            "Acute onveiligheid: het kind is nu in direct gevaar en heeft meteen bescherming "
            "nodig. Structurele onveiligheid: het kind maakt steeds opnieuw of voortdurend "
            "onveilige situaties mee. Ja, of twijfel: u meldt altijd (de meldnorm); de vragen "
            "3 tot en met 5 loopt u daarna samen met Veilig Thuis door."
        ),
        if_yes=FrameworkOutcome.REPORT,
        if_no=3,
    ),
    Question(
        number=3,
        text=_("Ben ik in staat om passende hulp te bieden of te organiseren?"),
        explanation=_(
            "Kunt u zelf, of samen met anderen (bijvoorbeeld het lokale team), hulp bieden die "
            "past bij wat er aan de hand is? Nee: u meldt."
        ),
        if_yes=4,
        if_no=FrameworkOutcome.REPORT,
    ),
    Question(
        number=4,
        text=_("Aanvaarden de betrokkenen de hulp en zijn zij bereid zich hiervoor in te zetten?"),
        explanation=_("Willen de ouders (en het kind) de hulp en doen zij echt mee? Nee: u meldt."),
        if_yes=5,
        if_no=FrameworkOutcome.REPORT,
    ),
    Question(
        number=5,
        text=_(
            "Leidt de hulp binnen de gewenste termijn tot de noodzakelijke resultaten ten "
            "aanzien van de veiligheid en het welzijn van alle betrokkenen?"
        ),
        explanation=_(
            "Weet u dit nog niet? Organiseer de hulp, volg de effecten en beantwoord deze vraag "
            "later (zet een herinnering). Nee: u meldt. Ja: u sluit af met vervolgafspraken en "
            "blijft volgen."
        ),
        if_yes=FrameworkOutcome.CLOSE_WITH_FOLLOW_UP,
        if_no=FrameworkOutcome.REPORT,
    ),
)

QUESTIONS_BY_NUMBER: dict[int, Question] = {q.number: q for q in QUESTIONS}

# DOMAIN.md: "After a 'yes' on question 2, questions 3-5 are gone through together with
# Veilig Thuis."
MELDNORM_QUESTION = 2


@dataclass(frozen=True)
class Result:
    """Where the answers so far lead."""

    outcome: FrameworkOutcome | None  # None while a question on the path is still open
    next_question: int | None  # the question to answer now (None once there is an outcome)
    decided_by: int | None  # the question whose answer gave the outcome
    path: tuple[int, ...]  # the questions on the path, in order
    # After the meldnorm: questions 3-5 are gone through together with Veilig Thuis.
    together_with_veilig_thuis: bool = False

    @property
    def explanation(self) -> Promise | None:
        return OUTCOME_EXPLANATIONS[self.outcome] if self.outcome is not None else None


def prescribed_outcome(answers: Mapping[int, bool | None]) -> Result:
    """Follow the table from question 1 with the given answers (question number → yes/no).

    Answers to questions off the path (after the outcome is reached) do not count.
    """
    number = QUESTIONS[0].number
    path: list[int] = []
    while True:
        path.append(number)
        answer = answers.get(number)
        if answer is None:
            return Result(outcome=None, next_question=number, decided_by=None, path=tuple(path))
        step = QUESTIONS_BY_NUMBER[number].if_yes if answer else QUESTIONS_BY_NUMBER[number].if_no
        if isinstance(step, FrameworkOutcome):
            return Result(
                outcome=step,
                next_question=None,
                decided_by=number,
                path=tuple(path),
                together_with_veilig_thuis=number == MELDNORM_QUESTION and answer,
            )
        number = step


def all_paths() -> list[tuple[dict[int, bool], FrameworkOutcome, int]]:
    """Every way through the table: the answers, the outcome, the deciding question."""
    found: list[tuple[dict[int, bool], FrameworkOutcome, int]] = []

    def walk(number: int, answers: dict[int, bool]) -> None:
        question = QUESTIONS_BY_NUMBER[number]
        for answer, step in ((True, question.if_yes), (False, question.if_no)):
            chosen = {**answers, number: answer}
            if isinstance(step, FrameworkOutcome):
                found.append((chosen, step, number))
            else:
                walk(step, chosen)

    walk(QUESTIONS[0].number, {})
    return found
