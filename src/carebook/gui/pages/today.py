"""The day a care page works on: read afresh each time, since the app stays open for days."""

from __future__ import annotations

from datetime import date


class FollowsToday:
    """`today` is the fixed day a test gave (`_fixed_today`), else the computer's date now.

    Fixed once when the page was built, a window left open overnight kept offering
    yesterday: the visit form could not be dated today, the due lists counted from yesterday.
    """

    _fixed_today: date | None = None

    @property
    def today(self) -> date:
        return self._fixed_today or date.today()
