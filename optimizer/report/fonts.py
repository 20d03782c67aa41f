"""The charts' fonts: DejaVu Sans (matplotlib's own) first, and Noto Sans SC for the glyphs it lacks,
so that Chinese roof and scenario names print as text rather than empty boxes.

Noto Sans SC (SIL Open Font License 1.1) comes from the `pylopdf-fonts-zh-cn` package, a dependency
of zcf. matplotlib picks the font per glyph along the `font.family` list.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from matplotlib import font_manager

LATIN_FAMILY = "DejaVu Sans"
CJK_FAMILY = "Noto Sans SC"
_CJK_PACKAGE = "pylopdf_fonts_zh_cn"
_CJK_FILE = "NotoSansSC-Regular.otf"


def cjk_font_path() -> Path | None:
    """The Noto Sans SC file, or None when its package is not installed."""
    try:
        path = resources.files(_CJK_PACKAGE) / _CJK_FILE
    except ModuleNotFoundError:
        return None
    return Path(str(path)) if path.is_file() else None


@cache
def families() -> tuple[str, ...]:
    """The chart families in order of preference; registers the CJK font with matplotlib once."""
    path = cjk_font_path()
    if path is None:
        return (LATIN_FAMILY,)
    font_manager.fontManager.addfont(str(path))
    return (LATIN_FAMILY, CJK_FAMILY)


def chart_rc() -> dict[str, object]:
    """rc settings for every chart: names printed literally (a '$' is a dollar sign, not mathematics)
    in DejaVu Sans, falling back to Noto Sans SC glyph by glyph."""
    return {"text.parse_math": False, "font.family": list(families())}


CHART_RC: dict[str, object] = chart_rc()
