"""Numeric inputs of the page whose bad values, sent through the API, get a one-line error naming the field.

Gradio checks a Number's or a Slider's value before our handler sees it, and a
string there ("abc") fails inside Gradio with an opaque "The upstream Gradio app
has raised an exception"; a number out of range gets "Value 99 is greater than
maximum value 9." without saying which field. These subclasses say both.
"""

import math

import gradio as gr


def _checked(field, preprocess, payload):
    name = (field.label or "value").split(" (")[0]  # "Seed A", not "Seed A (e.g. ...)"
    try:
        number = float(payload)
    except (TypeError, ValueError):
        number = None
    if payload is not None and (number is None or isinstance(payload, bool) or not math.isfinite(number)):
        raise gr.Error(f"{name} must be a number, got {payload!r}")
    try:
        return preprocess(number if payload is not None else None)
    except gr.Error:  # out of range
        low = "" if field.minimum is None else f" from {field.minimum:g}"
        high = "" if field.maximum is None else f" to {field.maximum:g}"
        raise gr.Error(f"{name} must be{low}{high}, got {payload!r}") from None

from gradio.events import Dependency

class Number(gr.Number):
    def preprocess(self, payload):
        return _checked(self, super().preprocess, payload)

    def get_block_name(self) -> str:
        return "number"
    from typing import Callable, Literal, Sequence, Any, TYPE_CHECKING
    from gradio.blocks import Block
    if TYPE_CHECKING:
        from gradio.components import Timer
        from gradio.components.base import Component  # the frontend's own Number component


class Slider(gr.Slider):
    def preprocess(self, payload):
        return _checked(self, super().preprocess, payload)

    def get_block_name(self) -> str:
        return "slider"
    from typing import Callable, Literal, Sequence, Any, TYPE_CHECKING
    from gradio.blocks import Block
    if TYPE_CHECKING:
        from gradio.components import Timer
        from gradio.components.base import Component