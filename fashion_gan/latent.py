"""Latent math, all of it: seed -> latent, interpolation, keyframe walks, the seed plane, principal directions.

A seed becomes a latent through `latent_from_seed`, which draws on the CPU from a
generator of its own: a seed means the same image on every device, run after run.
Everything else here combines such latents; fashion_gan.sampling runs generators on them.
"""

import base64
import binascii
import math
import re

import numpy as np
import torch

from .errors import UserError

SEED_MAX = 2**31 - 1
MAX_KEYFRAMES = 64
# The seed plane (after stylegan3's visualizer): integer point (x, y) is seed x + ROW * y, so
# (x, 0) is seed x. Between integer points the latent is a blend of the four around it.
ROW = 100


def latent_from_seed(seed: int, z_dim: int, truncation: float | None = None) -> torch.Tensor:
    """A standard-normal latent (z_dim,) determined by `seed` alone.

    With `truncation` t, entries with |z| > t are redrawn (from the same seeded
    stream) until they fall inside: the truncation trick, trading variety for
    typical-looking samples.
    """
    if not 0 <= seed <= SEED_MAX:
        raise UserError(f"seed {seed} is out of range; use an integer from 0 to {SEED_MAX:,}")
    rng = torch.Generator().manual_seed(seed)
    z = torch.randn(z_dim, generator=rng)
    if truncation is not None:
        if not truncation > 0:
            raise UserError(f"truncation {truncation} must be a positive number (or off)")
        for _ in range(1000):  # P(|z| > t) < 1 for any t > 0, so this ends; 1000 rounds bounds t tiny
            outside = z.abs() > truncation
            if not outside.any():
                break
            z[outside] = torch.randn(int(outside.sum()), generator=rng)
        z.clamp_(-truncation, truncation)  # only ever bites for absurdly small t
    return z


def latents_from_seeds(seeds, z_dim: int, truncation: float | None = None) -> torch.Tensor:
    """(len(seeds), z_dim), one latent per seed."""
    return torch.stack([latent_from_seed(int(s), z_dim, truncation) for s in seeds])


# A latent code: a latent that is not a seed's (one found for a visitor's garment) as a short text that
# can be copied, put in a link and given to any view in place of a seed. Version 1: the values as
# little-endian float16, base64url without padding, after "z1." (a 100-d latent: 270 characters).
CODE_PREFIX = "z1."


def on_code_grid(z: torch.Tensor) -> torch.Tensor:
    """`z` rounded to what a latent code holds (float16), so that its code gives back exactly this latent."""
    return z.to(torch.float16).to(torch.float32)


def latent_code(z: torch.Tensor) -> str:
    """A latent (z_dim,) as its code; the values are rounded to float16 (see on_code_grid)."""
    half = z.detach().cpu().reshape(-1).to(torch.float16).numpy().astype("<f2")
    return CODE_PREFIX + base64.urlsafe_b64encode(half.tobytes()).decode().rstrip("=")


def from_latent_code(text: str, z_dim: int | None) -> torch.Tensor:
    """The latent (z_dim,) a code holds, or a UserError saying what is wrong with the code."""
    if not isinstance(text, str) or not text.strip().startswith(CODE_PREFIX):
        raise UserError(f"latent code: expected text starting with {CODE_PREFIX!r} (copy it whole from the page)")
    body = text.strip()[len(CODE_PREFIX):]
    try:
        raw = base64.b64decode(body + "=" * (-len(body) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise UserError("latent code: it holds characters a code never has; copy it whole from the page") from None
    if z_dim is None:  # any length (a link, read before the model is known)
        z_dim = len(raw) // 2
    if len(raw) != 2 * z_dim or not raw:
        raise UserError(f"latent code: it holds {len(raw) // 2} values, this generator takes {z_dim}; "
                        "was it cut short, or made for the other model?")
    z = torch.from_numpy(np.frombuffer(raw, dtype="<f2").astype(np.float32))
    if not torch.isfinite(z).all():
        raise UserError("latent code: it holds a value that is not a finite number")
    return z


def lerp(a: torch.Tensor, b: torch.Tensor, t: torch.Tensor | float) -> torch.Tensor:
    """Straight-line interpolation; t may be a (T, 1) column for T frames at once."""
    return a + (b - a) * t


def slerp(a: torch.Tensor, b: torch.Tensor, t: torch.Tensor | float) -> torch.Tensor:
    """Spherical interpolation: stays at the typical norm of Gaussian latents, where lerp sags."""
    a_unit, b_unit = a / a.norm(), b / b.norm()
    omega = torch.arccos((a_unit * b_unit).sum().clamp(-1.0, 1.0))
    if omega.abs() < 1e-6:  # (anti)parallel latents: the sphere gives no direction, lerp is exact
        return lerp(a, b, t)
    t = torch.as_tensor(t, dtype=a.dtype)
    return (torch.sin((1 - t) * omega) * a + torch.sin(t * omega) * b) / torch.sin(omega)


INTERPOLATIONS = {"slerp": slerp, "lerp": lerp}


def interpolation_weights(steps: int) -> torch.Tensor:
    """(steps, 1) column of t from 0 to 1 inclusive, so the ends are the endpoints exactly."""
    return torch.linspace(0.0, 1.0, steps).unsqueeze(1)


def parse_seeds(text: str, limit: int = MAX_KEYFRAMES) -> list[int]:
    """ "3, 17, 42-45" -> [3, 17, 42, 43, 44, 45]: numbers and inclusive ranges, comma-separated, in order."""
    if not isinstance(text, str) or not text.strip():
        raise UserError("seeds: give a list such as 3, 17, 42-45")
    seeds: list[int] = []
    for part in text.split(","):
        match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", part)
        if not match:
            raise UserError(f"seeds: {part.strip()!r} is not a seed or a range like 42-45")
        first, last = int(match[1]), int(match[2] if match[2] is not None else match[1])
        if last < first:
            raise UserError(f"seeds: the range {first}-{last} runs backwards; write {last}-{first}")
        if last > SEED_MAX:
            raise UserError(f"seeds: {last} is above the largest seed, {SEED_MAX:,}")
        if len(seeds) + last - first + 1 > limit:
            raise UserError(f"seeds: at most {limit} seeds, got more")
        seeds.extend(range(first, last + 1))
    return seeds


def parse_keyframes(text: str, z_dim: int | None, limit: int = MAX_KEYFRAMES) -> tuple[list[int | str], torch.Tensor | None]:
    """ "3, z1.AbC..., 42-45" -> (the keyframes as written: seeds and latent codes, in order; their latents
    (K, z_dim), or None when z_dim is None and only the text is checked)."""
    if not isinstance(text, str) or not text.strip():
        raise UserError("seeds: give a list such as 3, 17, 42-45")
    keyframes: list[int | str] = []
    for part in text.split(","):
        part = part.strip()
        keyframes.extend([part] if part.startswith(CODE_PREFIX) else parse_seeds(part, limit))
        if len(keyframes) > limit:
            raise UserError(f"seeds: at most {limit} seeds, got more")
    latents = [from_latent_code(k, z_dim) if isinstance(k, str) else None for k in keyframes]
    if z_dim is None:
        return keyframes, None
    return keyframes, torch.stack([z if z is not None else latent_from_seed(k, z_dim) for k, z in zip(keyframes, latents)])


def walk_latents(keyframes: torch.Tensor, steps: int, method: str = "slerp") -> torch.Tensor:
    """(K, D) keyframe latents -> (K * steps, D) frames through each in turn and back to the first.

    Each leg runs from keyframe i to keyframe i+1 (the last leg back to the first) and
    leaves out its end, which is the next leg's start: looped, the animation has no
    repeated frame and no jump.
    """
    t = torch.arange(steps, dtype=keyframes.dtype).unsqueeze(1) / steps  # (steps, 1): 0 .. (steps-1)/steps
    legs = [INTERPOLATIONS[method](a, b, t) for a, b in zip(keyframes, keyframes.roll(-1, dims=0))]
    return torch.cat(legs)


def seed_at(x: int, y: int) -> int:
    """The seed at integer point (x, y) of the seed plane."""
    return x + ROW * y


def check_position(x: float, y: float) -> tuple[float, float]:
    """(x, y) as floats if every seed around it exists; UserError naming the coordinate otherwise."""
    for name, value in (("x", x), ("y", y)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            raise UserError(f"map {name} must be a number >= 0, got {value!r}")
    if seed_at(math.ceil(x), math.ceil(y)) > SEED_MAX:
        raise UserError(f"map position ({x:g}, {y:g}) is beyond the last seed ({SEED_MAX:,}); keep x + {ROW}*y below it")
    return float(x), float(y)


def plane_latent(x: float, y: float, z_dim: int) -> torch.Tensor:
    """The latent at a continuous point of the seed plane: the four neighbouring seeds' latents, blended.

    Bilinear weights w, then divided by sqrt(sum w^2): independent standard normals averaged
    with weights w have standard deviation sqrt(sum w^2), so without this a point in the middle
    of a cell would be a washed-out latent of spread 0.5. At an integer point it is that seed's latent.
    """
    x, y = check_position(x, y)
    x0, y0 = math.floor(x), math.floor(y)
    z = torch.zeros(z_dim)
    norm = 0.0
    for dx, dy in ((0, 0), (1, 0), (0, 1), (1, 1)):
        weight = (1 - abs(x - (x0 + dx))) * (1 - abs(y - (y0 + dy)))
        if weight > 0:
            z = z + weight * latent_from_seed(seed_at(x0 + dx, y0 + dy), z_dim)
            norm += weight * weight
    return z / math.sqrt(norm)


def first_layer_weight(generator) -> torch.Tensor:
    """The weight (out, z_dim) of the first linear layer, restricted to the latent's own columns."""
    layer = next(m for m in generator.modules() if isinstance(m, torch.nn.Linear))
    return layer.weight.detach().float().cpu()[:, : generator.z_dim]  # the label embedding's columns follow z's


def principal_directions(generator, count: int = 10) -> torch.Tensor:
    """(count, z_dim) orthonormal latent directions, strongest first (SeFa, Shen & Zhou 2021).

    The first layer maps z to W z; the unit directions n that change it most maximise
    |W n|^2 = n^T W^T W n: the eigenvectors of W^T W with the largest eigenvalues. Closed
    form, from the weights alone, so it costs a millisecond at start-up. Each direction's
    sign is fixed (largest entry positive) so that "+" means the same thing run after run.
    """
    w = first_layer_weight(generator).double()
    values, vectors = torch.linalg.eigh(w.T @ w)  # ascending
    directions = vectors.flip(1).T[:count].float()  # (count, z_dim), strongest first
    signs = torch.sign(directions.gather(1, directions.abs().argmax(dim=1, keepdim=True)))
    return directions * signs


def edit_latent(z: torch.Tensor, direction: torch.Tensor, amount: float) -> torch.Tensor:
    """z moved `amount` standard deviations along a unit direction (z's spread along it is 1)."""
    return z + amount * direction if amount else z
