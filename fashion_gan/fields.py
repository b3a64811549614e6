"""The page's inputs, each refusing a bad API value with one line that names the field.

Gradio checks a value before our handler sees it, in ways a caller cannot read:
a string in a Number fails with an opaque "The upstream Gradio app has raised an
exception", so does None in a Slider (it compares None with the minimum); a number
out of range gets "Value 99 is greater than maximum value 9." and a wrong choice
"Value: Hat is not in the list of choices", neither saying which field. These
subclasses check first and say both, with numbers written as people read them.
"""

import math

import gradio as gr
from gradio.data_classes import ImageData

from .errors import readable


def name_of(field) -> str:
    """The field's English label, short: "Seed A", not "Seed A (e.g. ...)" (the page translates it, words.py)."""
    label = getattr(field.label, "key", field.label)  # a label shown in the visitor's language keeps its English key
    return (label or "value").split(" (")[0]


def _checked_number(field, preprocess, payload):
    name = name_of(field)
    low = "" if field.minimum is None else f" from {readable(field.minimum)}"
    high = "" if field.maximum is None else f" to {readable(field.maximum)}"
    try:
        number = float(payload)
    except (TypeError, ValueError):
        number = None
    if number is None or isinstance(payload, bool) or not math.isfinite(number):
        got = "nothing" if payload is None or payload == "" else repr(payload)
        raise gr.Error(f"{name} must be a number{low}{high}, got {got}")
    if getattr(field, "precision", None) == 0 and number != int(number):  # Gradio would round 1.5 to 2 silently
        raise gr.Error(f"{name} must be a whole number{low}{high}, got {readable(number)}")
    try:
        return preprocess(number)
    except gr.Error:  # out of range
        raise gr.Error(f"{name} must be{low}{high}, got {readable(number)}") from None


class Number(gr.Number):
    def preprocess(self, payload):
        if payload is None:  # an emptied box while typing: the handler says what it needs, naming the field
            return None
        return _checked_number(self, super().preprocess, payload)

    def get_block_name(self) -> str:
        return "number"  # the frontend's own Number component


class Slider(gr.Slider):
    def preprocess(self, payload):
        return _checked_number(self, super().preprocess, payload)

    def get_block_name(self) -> str:
        return "slider"


def _checked_choice(field, preprocess, payload):
    values = [value for _, value in field.choices]
    if isinstance(payload, str) and payload in values:
        return preprocess(payload)
    got = "nothing" if payload is None else repr(payload)
    raise gr.Error(f"{name_of(field)} must be one of: {', '.join(map(str, values))}; got {got}")


class Dropdown(gr.Dropdown):
    def preprocess(self, payload):
        return _checked_choice(self, super().preprocess, payload)

    def get_block_name(self) -> str:
        return "dropdown"


class Radio(gr.Radio):
    def preprocess(self, payload):
        return _checked_choice(self, super().preprocess, payload)

    def get_block_name(self) -> str:
        return "radio"


class Textbox(gr.Textbox):
    def preprocess(self, payload):
        if not isinstance(payload, str):
            raise gr.Error(f"{name_of(self)} must be text, got {'nothing' if payload is None else repr(payload)}")
        return super().preprocess(payload)

    def get_block_name(self) -> str:
        return "textbox"


class Checkbox(gr.Checkbox):
    def preprocess(self, payload):
        if not isinstance(payload, bool):
            raise gr.Error(f"{name_of(self)} must be true or false, got {'nothing' if payload is None else repr(payload)}")
        return super().preprocess(payload)

    def get_block_name(self) -> str:
        return "checkbox"


class PictureData(ImageData):
    """Gradio's picture payload, checked before Gradio's own validation turns anything else into an
    anonymous error: a file payload ({"path": ...} or {"url": ...}) or a one-line error."""

    @classmethod
    def model_validate(cls, value, *args, **kwargs):  # here, not in a validator: pydantic would wrap our gr.Error
        if not (isinstance(value, ImageData) or (isinstance(value, dict) and (value.get("path") or value.get("url")))):
            got = "nothing" if value == "" else repr(value)
            raise gr.Error(f"Picture must be a picture file (gradio_client: handle_file(path)), got {got}")
        return super().model_validate(value, *args, **kwargs)


class Image(gr.Image):
    """A picture input (type="filepath": decoding waits for the handler, which refuses a huge one before
    it decodes it). Gradio opens the file first and fails opaquely on one that is not a picture."""

    data_model = PictureData

    def preprocess(self, payload):
        from PIL import Image as PILImage

        try:
            return super().preprocess(payload)
        except PILImage.DecompressionBombError:
            raise gr.Error(f"{name_of(self)}: far too many pixels; send a smaller picture") from None
        except (PILImage.UnidentifiedImageError, OSError, ValueError):
            raise gr.Error(f"{name_of(self)}: not a picture this can read (PNG, JPEG, WebP, GIF, BMP)") from None

    def get_block_name(self) -> str:
        return "image"
