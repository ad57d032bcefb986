"""Jinja filters and globals shared by every page: WIB dates, Indonesian numbers, file sizes,
sanitised Markdown, and the language switch."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import markdown as md
import nh3
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import format_date, format_datetime, format_decimal, get_locale, gettext
from markupsafe import Markup

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "code", "pre",
                "blockquote", "h2", "h3", "h4", "table", "thead", "tbody", "tr", "th", "td", "hr"}


def select_locale() -> str:
    langs = current_app.config["LANGUAGES"]
    lang = request.args.get("lang")
    if lang and lang in langs:
        session["lang"] = lang
        return lang
    stored = session.get("lang")
    if stored in langs:
        return str(stored)
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])


def select_timezone() -> str:
    return str(current_app.config["DISPLAY_TIMEZONE"])


def N_(text: str) -> str:
    """Marks a text for extraction (babel.cfg: ``N_`` is one of pybabel's keywords) where it is
    data, kept as written, and shown later with :func:`in_reader_language`."""
    return text


def in_reader_language(text: str, **values: Any) -> str:
    """``text`` (a msgid) in the language of the request, with ``values`` put in; outside a
    request (a job, a workbook written for BPS, the CLI) as written, in Bahasa Indonesia."""
    if not text:
        return text  # gettext("") is the catalogue's header
    if has_request_context():
        return gettext(text, **values)
    return text % values if values else text


def render_markdown(text: str | None) -> Markup:
    """Markdown from producers, rendered and then sanitised (no scripts, no raw HTML attrs)."""
    html = md.markdown(text or "", extensions=["tables"])
    return Markup(nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}},
                            link_rel="nofollow noopener"))


def number(value: Any, digits: int | None = None) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, float) and digits is not None:
        return str(format_decimal(round(value, digits), format=f"#,##0.{'0' * digits}" if digits else "#,##0"))
    return str(format_decimal(value))


def filesize(value: int | None) -> str:
    if value is None:
        return "–"
    size = float(value)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size < 1024 or unit == "TB":
            return f"{number(size, 0 if unit == 'B' else 1)} {unit}"
        size /= 1024
    return str(value)


def datetime_wib(value: datetime | None, fmt: str = "medium") -> str:
    """A UTC timestamp in the display zone (WIB), e.g. '23 Nov 2026 19.30 WIB'."""
    if value is None:
        return "–"
    text = format_datetime(value, "d MMM yyyy HH.mm")
    return f"{text} WIB" if current_app.config["DISPLAY_TIMEZONE"] == "Asia/Jakarta" else text


def date_local(value: date | datetime | None) -> str:
    if value is None:
        return "–"
    return str(format_date(value, "d MMMM yyyy"))


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        markdown=render_markdown, number=number, filesize=filesize, datetime=datetime_wib, date=date_local
    )

    @app.context_processor
    def _globals() -> dict[str, Any]:
        return {
            "site_name": current_app.config["SITE_NAME"],
            "site_region": current_app.config["SITE_REGION"],
            "current_locale": str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"]),
            "languages": current_app.config["LANGUAGES"],
        }
