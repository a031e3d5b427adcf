"""The worker's own township and villages, set up once so forms and filters offer them."""

from __future__ import annotations

from carebook.i18n import tr
from carebook.services.audit import Origin, entry
from carebook.services.errors import ServiceError
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


def township_of_village(db: Database, village: str | None, township: str | None) -> str | None:
    """The township a village filter means: the one given, or the only one with a village of
    that name. A name no township has is a typo, said so rather than "nobody is due"; a name
    like 新庄村 that recurs in a county needs its township, or two villages would be printed or
    exported as one (under a title naming neither township)."""
    if not village and not township:
        return None
    with db.reading() as session:
        places = all_villages(session)
    if township:
        if township not in {town for _id, town, _name in places}:
            raise ServiceError(tr("找不到乡镇“{township}”，请核对名称。", township=township))
        return township
    towns = sorted({town for _id, town, name in places if name == village})
    if not towns:
        raise ServiceError(tr("找不到村（社区）“{village}”，请核对名称。", village=village))
    if len(towns) > 1:
        raise ServiceError(
            tr(
                "{towns} 都有“{village}”，请同时指明是哪个乡镇的。",
                towns="、".join(towns),
                village=village,
            )
        )
    return towns[0]


def village_places(db: Database) -> list[tuple[str, str]]:
    """Every village as (township, village), ordered by township then village."""
    with db.reading() as session:
        return [(town, village) for _id, town, village in all_villages(session)]
