"""The child's form: every field of the register, grouped, with problems shown beside each field."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from carebook.domain import people
from carebook.domain.categories import CARE_LEVELS, all_categories
from carebook.domain.dates import age_on, parse_date
from carebook.domain.errors import DomainError
from carebook.domain.id_numbers import mask_id, normalize_id, parse_id
from carebook.domain.phones import mask_phone
from carebook.domain.records import CHILD_FIELD_LABELS, ChildFacts
from carebook.gui.widgets.masked_field import MaskedField
from carebook.i18n import tr

ETHNICITIES = (
    "汉族",
    "回族",
    "蒙古族",
    "满族",
    "藏族",
    "维吾尔族",
    "苗族",
    "彝族",
    "壮族",
    "土家族",
)
LEFT_BEHIND = "农村留守儿童"
PROBLEM_STYLE = "color: #b3261e;"
NOTE_STYLE = "color: #1b5e20;"

# (group title, fields); each field is (name, kind, choices).
GROUPS: tuple[tuple[str, tuple[tuple[str, str, tuple[str, ...]], ...]], ...] = (
    (
        "基本信息",
        (
            ("name", "text", ()),
            ("id_number", "id", ()),
            ("birth_date", "date", ()),
            ("sex", "choice", people.SEXES),
            ("ethnicity", "editable", ETHNICITIES),
            ("township", "place", ()),
            ("village", "place", ()),
            ("household_address", "text", ()),
            ("current_address", "text", ()),
        ),
    ),
    (
        "就学与健康",
        (
            ("school", "text", ()),
            ("grade", "text", ()),
            ("boarding", "bool", ()),
            ("health", "text", ()),
            ("disability_type", "choice", people.DISABILITY_TYPES),
            ("disability_grade", "choice", people.DISABILITY_GRADES),
        ),
    ),
    (
        "家庭",
        (
            ("father_name", "text", ()),
            ("father_status", "choice", people.PARENT_STATUSES),
            ("father_work_place", "text", ()),
            ("father_phone", "phone", ()),
            ("father_id_number", "id", ()),
            ("mother_name", "text", ()),
            ("mother_status", "choice", people.PARENT_STATUSES),
            ("mother_work_place", "text", ()),
            ("mother_phone", "phone", ()),
            ("mother_id_number", "id", ()),
        ),
    ),
    (
        "监护人",
        (
            ("guardian_name", "text", ()),
            ("guardian_relation", "editable", people.GUARDIAN_RELATIONS),
            ("guardian_phone", "phone", ()),
            ("guardian_id_number", "id", ()),
            ("guardian_health", "text", ()),
            ("guardianship_type", "choice", people.GUARDIANSHIP_TYPES),
            ("guardianship_assessment", "choice", people.GUARDIANSHIP_ASSESSMENTS),
        ),
    ),
    (
        "帮扶与政策",
        (
            ("support", "support", people.SUPPORT_KINDS),
            ("help_measures", "long", ()),
        ),
    ),
    (
        "管理",
        (
            ("categories", "categories", ()),
            ("care_level", "choice", CARE_LEVELS),
            ("notes", "long", ()),
        ),
    ),
)


class ChildForm(QWidget):
    """facts() reads the form; set_facts() fills it; show_problems() writes beside each field."""

    changed = Signal()
    idChecked = Signal(str)  # a complete, valid ID number was typed

    def __init__(self, *, mask_numbers: bool, today: date | None = None, parent=None) -> None:
        super().__init__(parent)
        self.today = today or date.today()
        self.mask_numbers = mask_numbers
        self.widgets: dict[str, QWidget] = {}
        self.problems: dict[str, QLabel] = {}
        self.reveal: Callable[[str], str | None] | None = None
        self._places: list[tuple[str, str]] = []
        self._loading = False
        self._build_ui()
        self._connect_signals()

    # -- building -------------------------------------------------------------------------
    def _build_ui(self) -> None:
        # Group titles stand out so a worker finds 监护人 or 管理 at a glance.
        self.setStyleSheet(
            "QGroupBox { font-weight: bold; margin-top: 1.2em; }"
            "QGroupBox * { font-weight: normal; }"
        )
        grid = QGridLayout(self)
        for n, (title, fields) in enumerate(GROUPS):
            box = QGroupBox(tr(title))
            box.setObjectName(f"group-{title}")
            form = QFormLayout(box)
            form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if any(kind in ("categories", "support") for _n, kind, _c in fields):
                # Two columns of ticks beside their labels made the form 990 px wide in
                # English, wider than a 1024-pixel screen's dialog: labels go above them.
                form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
            for name, kind, choices in fields:
                widget = self._make(name, kind, choices)
                self.widgets[name] = widget
                problem = QLabel()
                problem.setObjectName(f"problem-{name}")
                problem.setWordWrap(True)
                problem.setStyleSheet(PROBLEM_STYLE)
                problem.setVisible(False)
                self.problems[name] = problem
                cell = QWidget()
                cell_layout = QVBoxLayout(cell)
                cell_layout.setContentsMargins(0, 0, 0, 0)
                cell_layout.setSpacing(2)
                cell_layout.addWidget(widget)
                if name == "birth_date":
                    self.age_label = QLabel()
                    self.age_label.setObjectName("age-label")
                    self.age_label.setStyleSheet(NOTE_STYLE)
                    cell_layout.addWidget(self.age_label)
                cell_layout.addWidget(problem)
                form.addRow(tr(CHILD_FIELD_LABELS[name]), cell)
            grid.addWidget(box, n // 2, n % 2, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.widgets["id_number"].setPlaceholderText(tr("18 位，输入后自动填出生日期和性别"))
        self.widgets["birth_date"].setPlaceholderText(tr("如 2015-03-12"))

    def _make(self, name: str, kind: str, choices: tuple[str, ...]) -> QWidget:
        if kind in ("text", "date"):
            widget = QLineEdit()
        elif kind == "id":
            widget = MaskedField(mask_id)
            widget.reveal = lambda n=name: self._reveal(n)
        elif kind == "phone":
            widget = MaskedField(mask_phone)
            widget.reveal = lambda n=name: self._reveal(n)
        elif kind in ("choice", "editable", "place"):
            widget = QComboBox()
            widget.setEditable(kind != "choice")
            widget.addItem("")
            widget.addItems(list(choices))
        elif kind == "bool":
            widget = QCheckBox(tr("寄宿"))
        elif kind == "long":
            widget = QPlainTextEdit()
            widget.setTabChangesFocus(True)
            widget.setFixedHeight(widget.fontMetrics().height() * 4)
        elif kind == "categories":
            widget = _Checks(all_categories(), columns=2)
        elif kind == "support":
            widget = _Checks(people.SUPPORT_KINDS, columns=2, other=True)
        else:
            raise ValueError(kind)
        widget.setObjectName(f"field-{name}")
        return widget

    def _connect_signals(self) -> None:
        for widget in self.widgets.values():
            if isinstance(widget, (QLineEdit, MaskedField)):
                widget.textEdited.connect(lambda _t: self.changed.emit())
            elif isinstance(widget, QComboBox):
                widget.currentTextChanged.connect(lambda _t: self.changed.emit())
            elif isinstance(widget, QCheckBox):
                widget.toggled.connect(lambda _on: self.changed.emit())
            elif isinstance(widget, QPlainTextEdit):
                widget.textChanged.connect(self.changed)
            elif isinstance(widget, _Checks):
                widget.changed.connect(self.changed)
        self.widgets["id_number"].textEdited.connect(self._id_typed)
        self.widgets["birth_date"].textEdited.connect(lambda _t: self._show_age())
        self.widgets["township"].currentTextChanged.connect(self._township_changed)
        self.widgets["village"].currentTextChanged.connect(
            lambda _t: self._check_place(fill_township=True)
        )
        for name in ("father_status", "mother_status"):
            self.widgets[name].currentTextChanged.connect(lambda _t: self._check_left_behind())
        self.widgets["categories"].changed.connect(self._check_left_behind)

    def set_places(self, places: list[tuple[str, str]]) -> None:
        self._places = list(places)
        self._fill("township", [t for t, _v in places])
        self._fill_villages()

    def _fill(self, key: str, values: list[str]) -> None:
        combo = self.widgets[key]
        text = combo.currentText()
        combo.blockSignals(True)
        combo.clear()
        combo.addItems(["", *dict.fromkeys(values)])
        combo.setCurrentText(text)
        combo.blockSignals(False)

    # -- township and village -------------------------------------------------------------
    def _fill_villages(self) -> None:
        """The village list offers the chosen township's villages (every village without one):
        offered every township's, 河堡村 was picked under 朝阳镇 and saved as a new village."""
        town = self.widgets["township"].currentText().strip()
        self._fill("village", [v for t, v in self._places if not town or t == town])

    def _township_changed(self, _text: str) -> None:
        self._fill_villages()
        self._check_place()

    def _townships_of(self, village: str) -> list[str]:
        return list(dict.fromkeys(t for t, v in self._places if v == village and t))

    def _place_problem(self) -> str:
        """Why the township cannot be told from the village (saving waits), or ""."""
        town = self.widgets["township"].currentText().strip()
        village = self.widgets["village"].currentText().strip()
        towns = self._townships_of(village) if village and not town else []
        if len(towns) < 2:
            return ""
        return tr(
            "“{village}”在{towns}都有，请选择乡镇。",
            village=village,
            towns="、".join(towns),
        )

    def _check_place(self, *, fill_township: bool = False) -> None:
        if self._loading:
            return
        town_box = self.widgets["township"]
        town = town_box.currentText().strip()
        village = self.widgets["village"].currentText().strip()
        towns = self._townships_of(village) if village else []
        if fill_township and village and not town and len(towns) == 1:
            town_box.setCurrentText(towns[0])  # comes back here through _township_changed
            return
        self.set_problem("township", self._place_problem())
        if village and town and towns and town not in towns:
            # A new village is allowed (the list is what the register holds so far), but a
            # worker who picked another township's village is told before saving.
            self.set_problem(
                "village",
                tr(
                    "{township}还没有“{village}”，{towns}有这个村。请核对乡镇；"
                    "确是{township}的新村，可以直接保存。",
                    township=town,
                    village=village,
                    towns="、".join(towns),
                ),
            )
        else:
            self.set_problem("village", "")

    # -- a family change -----------------------------------------------------------------
    def _check_left_behind(self) -> None:
        """A parent recorded at home while the child is still 农村留守儿童: say what follows (a
        note only; the worker decides, and a child of no category leaves the register)."""
        if self._loading:
            return
        statuses = {
            self.widgets[n].currentText().strip() for n in ("father_status", "mother_status")
        }
        left_behind = LEFT_BEHIND in self.widgets["categories"].checked()
        away_and_none_home = "外出务工" in statuses and "在家" not in statuses
        if left_behind and "" not in statuses and not away_and_none_home:
            self.set_problem(
                "categories",
                tr(
                    "父母有一方在家或都不在外务工，已不符合“{category}”。请改选类别；"
                    "不再属于任何类别的，保存后“退出台账”（原因：父母返乡）。",
                    category=LEFT_BEHIND,
                ),
            )
        else:
            self.set_problem("categories", "")

    # -- the ID number, live --------------------------------------------------------------
    def _id_typed(self, text: str) -> None:
        self.set_problem("id_number", "")
        try:
            number = normalize_id(text) if text.strip() else ""
        except DomainError:
            number = text.strip()
        if not number:
            self._show_age()
            return
        if len(number) < 18:
            self._note("id_number", tr("已输入 {n} 位，共 18 位。", n=len(number)))
            return
        try:
            parsed = parse_id(number, today=self.today)
        except DomainError as exc:
            self.set_problem("id_number", exc.message)
            return
        self.widgets["birth_date"].setText(parsed.birth_date.isoformat())
        self.widgets["sex"].setCurrentText(parsed.sex)
        self._show_age()
        self.idChecked.emit(parsed.number)

    def _note(self, name: str, text: str) -> None:
        label = self.problems[name]
        label.setStyleSheet(NOTE_STYLE)
        label.setText(text)
        label.setVisible(bool(text))

    def _show_age(self) -> None:
        text = self.widgets["birth_date"].text().strip()
        self.set_problem("birth_date", "")
        if not text:
            self.age_label.setText("")
            return
        try:
            born = parse_date(text, today=self.today)
            age = age_on(born, self.today)
        except DomainError as exc:
            self.age_label.setText("")
            self.set_problem("birth_date", exc.message)
            return
        self.age_label.setText(tr("{age} 岁（{date} 出生）", age=age, date=born.isoformat()))
        from_id = self._birth_from_id()
        if from_id is not None and from_id != born:
            # The register keeps the ID number's date: say so now, not silently on saving.
            self.set_problem(
                "birth_date",
                tr(
                    "与身份证号不一致：保存时将按身份证号记为 {birth}。",
                    birth=from_id.isoformat(),
                ),
            )

    def _birth_from_id(self) -> date | None:
        text = self.widgets["id_number"].value()
        try:
            return parse_id(normalize_id(text), today=self.today).birth_date if text else None
        except DomainError:
            return None

    def _reveal(self, name: str) -> str | None:
        return self.reveal(name) if self.reveal is not None else None

    # -- reading and writing --------------------------------------------------------------
    def set_facts(self, facts: ChildFacts) -> None:
        self._loading = True  # what the register holds is shown as it is, nothing filled in
        for name, widget in self.widgets.items():
            value = getattr(facts, name)
            if isinstance(widget, MaskedField):
                widget.set_value(value or "", masked=self.mask_numbers)
            elif isinstance(widget, QLineEdit):
                widget.setText(value.isoformat() if isinstance(value, date) else (value or ""))
            elif isinstance(widget, QComboBox):
                widget.setCurrentText(value or "")
            elif isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText(value or "")
            elif isinstance(widget, _Checks):
                labels = value if isinstance(value, tuple) else [v for v in value.split("、") if v]
                widget.set_checked(list(labels))
        self._loading = False
        self._show_age()
        self.clear_problems()

    def facts(self) -> tuple[ChildFacts, dict[str, str]]:
        """The form as facts, and problems found before any service sees them (a bad date)."""
        values: dict[str, object] = {}
        problems: dict[str, str] = {}
        for name, widget in self.widgets.items():
            if isinstance(widget, MaskedField):
                values[name] = widget.value()
            elif isinstance(widget, QLineEdit):
                values[name] = widget.text().strip()
            elif isinstance(widget, QComboBox):
                values[name] = widget.currentText().strip()
            elif isinstance(widget, QCheckBox):
                values[name] = widget.isChecked()
            elif isinstance(widget, QPlainTextEdit):
                values[name] = widget.toPlainText().strip()
            elif isinstance(widget, _Checks):
                values[name] = widget.checked()
        values["categories"] = tuple(values["categories"])  # type: ignore[arg-type]
        values["support"] = "、".join(values["support"])  # type: ignore[arg-type]
        values["id_number"] = values["id_number"] or None
        birth = str(values["birth_date"])
        values["birth_date"] = None
        if birth:
            try:
                values["birth_date"] = parse_date(birth, today=self.today)
            except DomainError as exc:
                problems["birth_date"] = exc.message
        values["care_level"] = values["care_level"] or "一般"
        if place := self._place_problem():
            problems["township"] = place
        elif values["village"] and not values["township"]:
            # A known village's one township, not a new village under '未填乡镇'.
            values["township"] = next(iter(self._townships_of(str(values["village"]))), "")
        return ChildFacts(**values), problems  # type: ignore[arg-type]

    def set_problem(self, name: str, text: str) -> None:
        label = self.problems.get(name)
        if label is None:
            return
        label.setStyleSheet(PROBLEM_STYLE)
        label.setText(text)
        label.setVisible(bool(text))

    def show_problems(self, problems: dict[str, str]) -> None:
        self.clear_problems()
        for name, text in problems.items():
            self.set_problem(name if name in self.problems else "name", text)
        first = next((n for n in self.widgets if n in problems), None)
        if first is not None:
            self.widgets[first].setFocus()

    def clear_problems(self) -> None:
        for label in self.problems.values():
            label.setVisible(False)
            label.setText("")

    def visible_problems(self) -> dict[str, str]:
        return {n: lbl.text() for n, lbl in self.problems.items() if lbl.text()}


class _Checks(QWidget):
    """A group of check boxes read as a list of labels; `other` adds a free-text line."""

    changed = Signal()

    def __init__(self, labels, *, columns: int, other: bool = False) -> None:
        super().__init__()
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        for i, label in enumerate(labels):
            box = QCheckBox(label)
            box.toggled.connect(lambda _on: self.changed.emit())
            self.boxes[label] = box
            grid.addWidget(box, i // columns, i % columns)
        self.other: QLineEdit | None = None
        if other:
            row = QHBoxLayout()
            row.addWidget(QLabel(tr("其他：")))
            self.other = QLineEdit()
            self.other.setPlaceholderText(tr("多项用顿号分隔"))
            self.other.textEdited.connect(lambda _t: self.changed.emit())
            row.addWidget(self.other)
            grid.addLayout(row, len(labels) // columns + 1, 0, 1, columns)

    def set_checked(self, labels: list[str]) -> None:
        rest = [label for label in labels if label not in self.boxes]
        for label, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(label in labels)
            box.blockSignals(False)
        if self.other is not None:
            self.other.setText("、".join(rest))

    def checked(self) -> list[str]:
        found = [label for label, box in self.boxes.items() if box.isChecked()]
        if self.other is not None:
            text = self.other.text().replace("，", "、").replace(",", "、")
            found += [part.strip() for part in text.split("、") if part.strip()]
        return found
