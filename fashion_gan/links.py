"""Links that open a view: `?tab=generate&class=Bag&seed=7` <-> the values of that view's fields.

`read` turns a page URL's query into the tab to open and the fields' values, and says
which parameters it had to ignore (unknown, or not a valid value), so the page can
open normally and tell the visitor in one line. app.py writes the links with the same
parameter names (VIEWS), from the values on screen.
"""

import math
from dataclasses import dataclass

from . import demo, latent
from .data import CLASS_NAMES
from .errors import UserError, readable


@dataclass(frozen=True)
class Parameter:
    kind: str  # "class", "int", "number", "method", "network", "run", "seeds", "code" or "bool"
    low: float = 0
    high: float = latent.SEED_MAX


SEED = Parameter("int")
CLASS = Parameter("class")
STEPS = Parameter("int", demo.MIN_STEPS, demo.MAX_STEPS)
METHOD = Parameter("method")
TRUNCATION = Parameter("number", 0, 3)
NETWORK = Parameter("network")
RUN = Parameter("run")
CODE = Parameter("code")  # a latent code (fashion_gan.latent), in place of the seed; empty: the seed

# tab id -> its query parameters, in the order of the view's fields
VIEWS: dict[str, dict[str, Parameter]] = {
    "generate": {"class": CLASS, "seed": SEED, "truncation": TRUNCATION, "count": Parameter("int", 1, demo.MAX_COUNT),
                 "network": NETWORK, "code": CODE},
    "find": {},  # what a visitor uploads cannot go in a link: the tab opens
    "interpolate": {"class": CLASS, "a": SEED, "b": SEED, "steps": STEPS, "method": METHOD,
                    "morph_seed": SEED, "from": CLASS, "to": CLASS, "morph_steps": STEPS, "network": NETWORK},
    "walk": {"class": CLASS, "seeds": Parameter("seeds"), "steps": Parameter("int", 1, demo.MAX_STEPS),
             "method": METHOD, "all": Parameter("bool")},
    "map": {"class": CLASS, "left": SEED, "top": Parameter("int", 0, latent.SEED_MAX // latent.ROW),
            "x": Parameter("number", 0, latent.SEED_MAX), "y": Parameter("number", 0, latent.SEED_MAX / latent.ROW)},
    "directions": {"class": CLASS, "seed": SEED, "direction": Parameter("int", 0, demo.DIRECTIONS - 1),
                   "amount": Parameter("number", -demo.MAX_AMOUNT, demo.MAX_AMOUNT), "code": CODE},
    "browse": {"class": CLASS, "first": Parameter("int", 0, latent.SEED_MAX - demo.GALLERY_SEEDS + 1)},
    "classes": {"seed": SEED},
    "gan": {"seed": SEED, "truncation": TRUNCATION},
    "training": {"run": RUN, "epoch": Parameter("int", 1, 10_000)},
}


CHOICES = {"method": latent.INTERPOLATIONS, "network": demo.NETWORKS, "run": demo.RUNS}  # kinds that name one of a few


def parse(parameter: Parameter, text: str):
    """The value of one query parameter, or ValueError saying why not."""
    text = text.strip()
    if parameter.kind == "class":
        match = [name for name in CLASS_NAMES if name.lower() == text.lower()]
        if not match:
            raise ValueError("not a class name")
        return match[0]
    if parameter.kind in CHOICES:
        choices = list(CHOICES[parameter.kind])
        if text not in choices:
            raise ValueError(f"use {', '.join(choices[:-1])} or {choices[-1]}")
        return text
    if parameter.kind in ("seeds", "code"):
        try:
            if parameter.kind == "seeds":
                latent.parse_keyframes(text, None)
            elif text:
                latent.from_latent_code(text, None)
        except UserError as e:
            raise ValueError(str(e)) from None
        return text
    if parameter.kind == "bool":
        if text.lower() not in ("true", "false", "1", "0"):
            raise ValueError("use true or false")
        return text.lower() in ("true", "1")
    try:
        value = float(text)
    except ValueError:
        raise ValueError("not a number") from None
    if not math.isfinite(value) or not parameter.low <= value <= parameter.high:
        raise ValueError(f"not from {readable(parameter.low)} to {readable(parameter.high)}")
    if parameter.kind == "int":
        if value != int(value):
            raise ValueError("not a whole number")
        return int(value)
    return value


def read(query: dict[str, str]) -> tuple[str | None, dict[str, object], list[str]]:
    """(tab id or None, {parameter: value} for that tab, ignored parameters as 'name=value (why)')."""
    ignored = []
    tab = query.get("tab")
    if tab is not None and tab not in VIEWS:
        ignored.append(f"tab={tab} (no such view, use one of: {', '.join(VIEWS)})")
        tab = None
    values = {}
    for name, text in query.items():
        if name == "tab":
            continue
        parameter = VIEWS.get(tab or "", {}).get(name)
        if parameter is None:
            ignored.append(f"{name} (not a parameter of {'the ' + tab + ' view' if tab else 'a link without tab='})")
            continue
        try:
            values[name] = parse(parameter, text)
        except ValueError as e:
            ignored.append(f"{name}={text} ({e})")
    return tab, values, ignored
