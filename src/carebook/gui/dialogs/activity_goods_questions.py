"""What 修改活动 says and asks about the activity's goods before every child's record of them is
changed: how many children, the old and new goods, and whose record corrected by hand stays."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QMessageBox, QWidget

from carebook.i18n import tr
from carebook.services.activity_edit import ActivityForEdit
from carebook.services.activity_goods import ActivityGoods

SHOWN_NAMES = 10


def _apart_line(saved: ActivityForEdit, chosen: Sequence[str], *, clearing: bool = False) -> str:
    """The children whose record was corrected by hand and is left as it is."""
    kept = [text for uid, text in saved.goods_apart if uid in set(chosen)]
    if not kept:
        return ""
    shown = "；".join(kept[:SHOWN_NAMES]) + (tr(" 等") if len(kept) > SHOWN_NAMES else "")
    if clearing:
        return tr(
            "{n} 名儿童的记录已在“帮扶”页单独更正过（{names}），保持不变，不会标为删除"
            "（如也要删除，请到“帮扶”页删除）。",
            n=len(kept),
            names=shown,
        )
    return tr(
        "{n} 名儿童的记录已在“帮扶”页单独更正过（{names}），保持不变，不会被改写。",
        n=len(kept),
        names=shown,
    )


def goods_note(saved: ActivityForEdit) -> str:
    """The line under the goods in 修改活动: what a change there reaches."""
    if saved.goods_item is None:
        note = tr(
            "这次活动没有随活动发放的物资记录。勾选“发放物资”并填写，保存时为每名参加的儿童"
            "各记一条帮扶记录（会先问您）。"
        )
    else:
        note = tr(
            "随活动发放：{goods}，{n} 名儿童各一条帮扶记录。改了物资，保存时她们的记录一并更正"
            "（会先问您）；取消勾选即清除这些记录。",
            goods=saved.goods,
            n=saved.goods_following,
        )
    apart = _apart_line(saved, [uid for uid, _text in saved.goods_apart])
    if apart:
        note += "\n" + apart
    return note


def may_change_goods(
    parent: QWidget,
    saved: ActivityForEdit,
    after: ActivityGoods | None,
    chosen: Sequence[str],
) -> bool:
    """Ask before the goods of an activity reach the children's records; True to go on."""
    before = saved.goods_item
    wanted = set(chosen)
    apart = _apart_line(saved, chosen, clearing=after is None)
    if before is None and after is not None:
        has = {uid for uid, _text in saved.goods_apart}
        n = len([uid for uid in wanted if uid not in has])
        text = tr(
            "为参加这次活动的 {n} 名儿童各记一条“{goods}”的帮扶记录吗？"
            "记录计入帮扶台账、统计和每名儿童的档案。",
            n=n,
            goods=after.text(),
        )
    elif after is None:
        n = len([uid for uid in saved.goods_holders if uid in wanted])
        text = tr(
            "清除这次活动发放的物资：{n} 名儿童领取的“{goods}”记录会标为删除，"
            "不再计入帮扶台账、统计和儿童档案（记录保留，可在操作记录中查到）。",
            n=n,
            goods=saved.goods,
        )
    else:
        n = len([uid for uid in saved.goods_holders if uid in wanted])
        text = tr(
            "{n} 名儿童在这次活动中领取的物资记录将从“{old}”改为“{new}”，"
            "每条修改都记入操作记录和儿童档案。",
            n=n,
            old=saved.goods,
            new=after.text(),
        )
        if saved.goods_missing:
            text += "\n" + tr(
                "另有 {n} 名参加的儿童没有这次活动的物资记录（未领取，或已在“帮扶”页删除），"
                "不会补记。",
                n=saved.goods_missing,
            )
    if apart:
        text += "\n" + apart
    answer = QMessageBox.question(
        parent,
        tr("修改活动"),
        text + "\n" + tr("继续保存吗？"),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
