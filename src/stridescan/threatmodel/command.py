"""`stridescan threat-model`: scan as `stridescan scan` does, keep the model, write one form.

The threat model is a document, not a gate: writing it succeeds (exit 0) whatever it finds.
Files that could not be scanned are listed in its coverage section and on standard error,
as `path:line: error: ...`, because their threats are unknown and a reviewer must know.
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from stridescan.prepare import Prepared
    from stridescan.threatmodel.report import ThreatModel


class Form(str, enum.Enum):
    markdown = "markdown"
    html = "html"
    json = "json"


def render_threat_model(
    prepared: Prepared,
    form: Form,
    *,
    title: str = "Threat model",
    link_base: str = "",
    errors: TextIO | None = None,
) -> str:
    """The threat model of the prepared scan in `form`; parse problems go to `errors`.

    `link_base` prefixes the Markdown form's evidence links (the other forms keep them
    relative).
    """
    from stridescan.scanner import scan
    from stridescan.threatmodel.build import build_threat_model

    renderer = _renderer(form, link_base)
    report = scan(replace(prepared.request, keep_model=True))
    stream = errors if errors is not None else sys.stderr
    for problem in report.problems:
        stream.write(problem.render() + "\n")
    return renderer(build_threat_model(report, title=title))


def _renderer(form: Form, link_base: str) -> Callable[[ThreatModel], str]:
    """The form's `render(model) -> str`, imported only when asked for."""
    if form is Form.json:
        from stridescan.threatmodel import json_form

        return json_form.render
    if form is Form.html:
        from stridescan.threatmodel import html

        return html.render
    from stridescan.threatmodel import markdown

    return partial(markdown.render, link_base=link_base)
