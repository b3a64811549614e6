"""The latent explorer from the command line: the demo's walks, map points and direction edits as files.

    python -m fashion_gan.explore walk --class Dress --seeds "3, 17, 42-45" --steps 10 --out walk.gif
    python -m fashion_gan.explore map --class Dress --x 3.5 --y 0.25 --out point.png
    python -m fashion_gan.explore edit --class Dress --seed 42 --direction 0 --amount 2 --out edit.png
    python -m fashion_gan.explore edit --class Dress --code z1.… --direction 0 --amount 2 --out edit.png

Each writes exactly what the page shows for the same inputs (the page's
"Reproduce it" lines print these commands): the walk's looping GIF, or the
upscaled picture as a PNG. Seed lists, map positions and directions are
documented in fashion_gan/latent.py.
"""

import argparse
import shutil
from pathlib import Path

import gradio as gr
from PIL import Image

from .demo import MAX_STEPS, Demo
from .device import DEVICE_CHOICES, resolve_device
from .errors import UserError, exit_with
from .files import atomic_write, require_folder


def run(args) -> Path:
    require_folder(args.out)
    suffix = ".gif" if args.command == "walk" else ".png"
    if args.out.suffix != suffix:
        raise UserError(f"--out {args.out}: the {args.command} command writes a {suffix} file")
    model = Demo(args.weights, None, resolve_device(args.device))
    try:
        if args.command == "walk":
            gif, _ = model.walk(args.class_name, args.seeds, args.steps, args.method, args.all_classes)
            with atomic_write(args.out) as tmp:
                shutil.copyfile(gif, tmp)
            return args.out
        picture = (model.map_point(args.class_name, args.x, args.y) if args.command == "map"
                   else model.edit(args.class_name, args.seed or 0, args.direction, args.amount, args.code or ""))
    except gr.Error as e:  # the handlers' one-line messages, the same as the page's
        raise UserError(e.message) from None
    with atomic_write(args.out) as tmp:
        Image.fromarray(picture).save(tmp, format="PNG")
    return args.out


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = p.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--weights", default="weights/cgan", help="the cGAN generator folder or Hub repo id")
    common.add_argument("--class", dest="class_name", required=True, metavar="NAME_OR_INDEX")
    common.add_argument("--device", choices=DEVICE_CHOICES, default="auto")
    common.add_argument("--out", type=Path, required=True)
    walk = commands.add_parser("walk", parents=[common], help="a looping walk through keyframe seeds (GIF)")
    walk.add_argument("--seeds", required=True, help='keyframe seeds, e.g. "3, 17, 42-45" (a latent code may stand for one)')
    walk.add_argument("--steps", type=int, default=10, help=f"frames from one keyframe to the next (1-{MAX_STEPS})")
    walk.add_argument("--method", choices=("slerp", "lerp"), default="slerp")
    walk.add_argument("--all-classes", action="store_true", help="the ten classes walk the same latents, one tile each")
    point = commands.add_parser("map", parents=[common], help="the picture at a point (x, y) of the seed plane (PNG)")
    point.add_argument("--x", type=float, required=True)
    point.add_argument("--y", type=float, required=True)
    edit = commands.add_parser("edit", parents=[common], help="a seed moved along a principal direction (PNG)")
    start = edit.add_mutually_exclusive_group(required=True)
    start.add_argument("--seed", type=int)
    start.add_argument("--code", help="a latent code (python -m fashion_gan.project prints one) in place of a seed")
    edit.add_argument("--direction", type=int, default=0, help="0 = the strongest")
    edit.add_argument("--amount", type=float, required=True, help="in standard deviations")
    args = p.parse_args(argv)
    try:
        out = run(args)
    except UserError as e:
        exit_with(e)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
