"""The one question after a chat: 'Heb je iets aan dit gesprek gehad?' (ADR 0033).

The answer is stored without any identifier: no conversation, no visitor, no employee, no
time of day; only the region and the day. The visitor's session remembers that it answered
(so it answers once); the answer does not remember the session. Figures are shown only in
aggregate, and only from a minimum number of answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from vangnet.accounts.models import User
from vangnet.accounts.policy import Action, require
from vangnet.regions.models import Region

from .models import Conversation, SatisfactionAnswer

SESSION_KEY = "vangnet_chat_answered"
MAX_COMMENT = 500
# Fewer answers than this are not shown: a small number could point to one conversation.
MIN_ANSWERS_SHOWN = 5


class AnswerRefused(Exception):
    pass


def may_answer(session: Any, conversation: Conversation | None) -> bool:
    return (
        conversation is not None
        and conversation.accepted_at is not None
        and session.get(SESSION_KEY) != str(conversation.public_id)
    )


def record_answer(
    *, session: Any, conversation: Conversation | None, helped: str, comment: str
) -> SatisfactionAnswer:
    if conversation is None or conversation.accepted_at is None:
        raise AnswerRefused(_("Er is geen gesprek om over te antwoorden."))
    if conversation.is_open:
        raise AnswerRefused(_("Je kunt antwoorden als het gesprek is afgelopen."))
    if session.get(SESSION_KEY) == str(conversation.public_id):
        raise AnswerRefused(_("Je hebt al geantwoord. Dank je wel!"))
    if helped not in ("yes", "no"):
        raise AnswerRefused(_("Kies ja of nee."))
    comment = comment.strip()
    if len(comment) > MAX_COMMENT:
        raise AnswerRefused(
            _("Je toelichting is te lang: hoogstens %(count)s tekens.") % {"count": MAX_COMMENT}
        )
    answer = SatisfactionAnswer.objects.create(
        region_id=conversation.region_id,
        day=timezone.localdate(),
        helped=helped == "yes",
        comment=comment,
    )
    session[SESSION_KEY] = str(conversation.public_id)
    return answer


@dataclass(frozen=True)
class Summary:
    answers: int
    helped: int
    shown: bool

    @property
    def helped_percent(self) -> int:
        return round(100 * self.helped / self.answers) if self.answers else 0


def summary_for(*, by: User, region: Region, days: int = 30) -> Summary:
    """Counts for the team lead of a region, over the last `days` days."""
    require(by, Action.MANAGE_CHAT_DESK, region)
    since = timezone.localdate() - timedelta(days=days)
    answers = SatisfactionAnswer.objects.filter(region=region, day__gte=since)
    total = answers.count()
    helped = answers.filter(helped=True).count()
    return Summary(answers=total, helped=helped, shown=total >= MIN_ANSWERS_SHOWN)
