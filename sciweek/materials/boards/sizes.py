"""Board sizes as data: add a row here and every page, the API and `make_boards` offer it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Label = str | Promise  # translated when shown (gettext_lazy)

BLEED_MM = 3.0  # on every side, as print shops ask
MARKS_MM = 10.0  # extra paper around the bleed when crop marks are wanted


@dataclass(frozen=True)
class BoardSize:
    key: str
    label: Label
    width_mm: float
    height_mm: float

    @property
    def portrait(self) -> bool:
        return self.height_mm >= self.width_mm

    @property
    def unit_mm(self) -> float:
        """The layout's module: 1 % of the short side."""
        return min(self.width_mm, self.height_mm) / 100


SIZES: dict[str, BoardSize] = {
    s.key: s
    for s in (
        BoardSize("rollup", _("易拉宝 80×200 厘米"), 800, 2000),
        BoardSize("xstand", _("X展架 60×160 厘米"), 600, 1600),
        BoardSize("board-120x90", _("展板 120×90 厘米（横版）"), 1200, 900),
        BoardSize("board-90x120", _("展板 90×120 厘米（竖版）"), 900, 1200),
        BoardSize("board-240x120", _("展板 240×120 厘米（横版）"), 2400, 1200),
        BoardSize("board-120x240", _("展板 120×240 厘米（竖版）"), 1200, 2400),
    )
}
DEFAULT_SIZE = "rollup"

TEMPLATES: dict[str, Label] = {
    "classic": _("经典：文字在上，照片在下"),
    "gallery": _("图片为主：照片在上，文字在下"),
    "columns": _("分栏：左文右图"),
}
DEFAULT_TEMPLATE = "classic"


def size_choices() -> list[tuple[str, str]]:
    return [(s.key, str(s.label)) for s in SIZES.values()]


def template_choices() -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in TEMPLATES.items()]
