"""Fonts for briefs: the face with Chinese coverage, found inside its installed package.

WenQuanYi Micro Hei comes from the ``paperang-p2-fonts-cjk`` wheel (a dependency), so the
PDF and the charts can draw Chinese characters without a system font or a download.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

__all__ = ["CJK_FAMILY", "cjk_font_dir", "cjk_font_file", "register_chart_fonts"]

CJK_FAMILY = "WenQuanYi Micro Hei"


def cjk_font_file() -> Path:
    """The TrueType collection with Chinese coverage (its first face is the regular one)."""
    folder = resources.files("paperang_p2_fonts_cjk") / "fonts"
    return Path(str(folder / "wqy-microhei.ttc"))


def cjk_font_dir() -> Path:
    return cjk_font_file().parent


@cache
def register_chart_fonts() -> None:
    """Let vl-convert find the Chinese face (once per process)."""
    import vl_convert

    vl_convert.register_font_directory(str(cjk_font_dir()))
