"""Train the projection's first guess: an encoder from a picture to the latent its generator drew it from.

    python -m fashion_gan.encoder --weights weights/cgan [--minutes 5 | --steps N] [--out weights/cgan/encoder]

It learns from the generator's own pictures, so it needs no dataset: draw z and a class, make
x = G(z, y), and teach E to give z back (the latents' squared error) and G(E(x), y) to look like x
(the pixels' squared error, so that a latent which differs only where G does not care costs little).
fashion_gan.project starts from E's guess and refines it in a few steps, where random starts need many.
The encoder lives in its generator's folder (encoder/), which the demo and the CLI look in.
"""

import argparse
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F

from . import hub
from .errors import UserError, exit_with
from .models import Generator, LatentEncoder

BATCH = 128
LR = 1e-3


def default_folder(weights: str | Path) -> Path:
    return Path(weights) / "encoder"


def load(weights: str | Path, generator: Generator, device="cpu") -> LatentEncoder | None:
    """The encoder kept beside a generator folder's weights, or None (a Hub id, or none trained)."""
    folder = default_folder(weights)
    if not folder.is_dir():
        return None
    encoder = hub.load_network(folder, device, expect=LatentEncoder)
    if encoder.z_dim != generator.z_dim:
        raise UserError(f"{folder}: an encoder for {encoder.z_dim}-number latents, but {weights} takes {generator.z_dim}")
    return encoder


def train(generator: Generator, seconds: float | None = None, steps: int | None = None, seed: int = 0,
          device="cpu", log=None) -> LatentEncoder:
    """An encoder for `generator`, trained for `seconds` of wall time or `steps` steps (whichever is given).
    The learning rate falls linearly to 0 at the end. Ctrl-C ends training early with what was learnt."""
    torch.manual_seed(seed)
    generator = generator.to(device).eval()
    for p in generator.parameters():
        p.requires_grad_(False)
    encoder = LatentEncoder(z_dim=generator.z_dim).to(device).train()
    optimizer = torch.optim.Adam(encoder.parameters(), lr=LR, betas=(0.9, 0.99))
    started, step = time.monotonic(), 0
    try:
        while True:
            done = (time.monotonic() - started) / seconds if seconds else step / steps
            if done >= 1:
                break
            for group in optimizer.param_groups:
                group["lr"] = LR * (1 - done)
            z = torch.randn(BATCH, generator.z_dim, device=device)
            labels = torch.randint(generator.num_classes, (BATCH,), device=device) if generator.num_classes else None
            with torch.no_grad():
                x = generator(z, labels)
            guess = encoder(x)
            latent_loss = F.mse_loss(guess, z)
            pixel_loss = F.mse_loss(generator(guess, labels), x)
            optimizer.zero_grad(set_to_none=True)
            (latent_loss + pixel_loss).backward()
            optimizer.step()
            step += 1
            if log and step % 200 == 0:
                log(f"step {step}: latent error {latent_loss.item():.3f}, pixel error {pixel_loss.item():.4f}, "
                    f"{time.monotonic() - started:.0f} s")
    except KeyboardInterrupt:
        if log:
            log(f"stopped at step {step}: keeping what was learnt")
    return encoder.eval()


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--weights", default="weights/cgan", help="the generator folder; the encoder goes in its encoder/")
    length = p.add_mutually_exclusive_group()
    length.add_argument("--minutes", type=float, default=None, help="wall time to train for (default 5)")
    length.add_argument("--steps", type=int, default=None, help="or a number of steps")
    p.add_argument("--out", default=None, help="where to write it (default WEIGHTS/encoder)")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    try:
        if args.minutes is not None and not 0 < args.minutes < 10_000:
            raise UserError(f"--minutes must be a positive number of minutes, got {args.minutes}")
        if args.steps is not None and args.steps < 1:
            raise UserError(f"--steps must be at least 1, got {args.steps}")
        if not Path(args.weights).is_dir():
            raise UserError(f"--weights {args.weights}: not a folder (train the encoder beside a generator folder)")
        generator = hub.load_network(args.weights, expect=Generator)
    except UserError as e:
        exit_with(e)
    seconds = None if args.steps else 60 * (args.minutes or 5)
    encoder = train(generator, seconds, args.steps, args.seed, log=lambda line: print(line, file=sys.stderr, flush=True))
    out = Path(args.out) if args.out else default_folder(args.weights)
    hub.save_network(encoder.half(), out)  # float16 on disk: half the size, and a start needs no more (it loads as float32)
    print(f"encoder written to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
