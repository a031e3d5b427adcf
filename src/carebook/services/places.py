"""The worker's own township and villages, set up once so forms and filters offer them."""

from __future__ import annotations

from carebook.services.audit import Origin, entry
from carebook.storage import audit as audit_store
from carebook.storage.areas import all_villages, ensure_village
from carebook.storage.database import Database


def add_my_villages(
    db: Database, township: str, villages: list[str], origin: Origin
) -> tuple[str, ...]:
    """Create the township's villages that are not there yet; returns the names it added."""
    township = township.strip()
    if not township:
        return ()
    with db.transaction() as session:
        known = {(town, village) for _id, town, village in all_villages(session)}
        added = []
        for village in villages:
            village = village.strip()
            if village and (township, village) not in known:
                ensure_village(session, township, village)
                added.append(village)
        if added:
            audit_store.add_entries(
                session,
                [entry(origin, "create", "area", "", field="村", new="、".join(added))],
            )
    return tuple(added)
