"""Events that core announces and the apps above it answer: core imports no app above it.

`quick_exit`: a visitor pressed quick exit; sent with `request=` before the session is
flushed, so a receiver can still find what this browser had running (chat connects one).
"""

from django.dispatch import Signal

quick_exit = Signal()
