"""Train the GAN and/or the cGAN on Fashion-MNIST and export them as Hugging Face Hub folders.

    python train.py --model both --arch dcgan --epochs 30 --out runs/demo
    python train.py --resume runs/demo --epochs 40     # continue or extend a run
    python train.py --model cgan --arch mlp            # the chapter's recipe exactly
    python train.py --model cgan --minutes 30          # as good as this machine makes it in 30 minutes
"""

import time

STARTED = time.monotonic()  # a --minutes budget counts from here: start-up and the imports below are in it

import argparse  # noqa: E402
import math  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from fashion_gan import push  # noqa: E402
from fashion_gan.data import load_split  # noqa: E402
from fashion_gan.device import DEVICE_CHOICES, resolve_device, resolve_precision  # noqa: E402
from fashion_gan.errors import UserError, exit_with  # noqa: E402
from fashion_gan.training import (LOSSES, RECIPES, Interrupted, TrainConfig, check_settings, command_line,  # noqa: E402
                                  config_from_checkpoint, networks_for_budget, recipe, train)


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", choices=("gan", "cgan", "both"), default="both")
    p.add_argument("--arch", choices=tuple(RECIPES), default="dcgan",
                   help="dcgan (default, the stronger recipe) or mlp (the chapter's networks and settings)")
    p.add_argument("--epochs", type=int, help="default: 40 for dcgan, 50 for mlp; with --resume, the new total")
    p.add_argument("--minutes", type=float, metavar="M",
                   help="train for M minutes of wall time in all (start-up and export included), the learning rate "
                        "falling to 0 over its last fifth; with --model both, the time is shared equally")
    p.add_argument("--batch-size", type=int, default=100)
    p.add_argument("--lr", type=float, help="learning rate of both networks (default 2e-4)")
    p.add_argument("--lr-d", type=float, help="the discriminator's own learning rate (TTUR), default --lr")
    p.add_argument("--beta1", type=float, help="Adam beta1 (default: 0.9 for mlp, 0.5 for dcgan)")
    p.add_argument("--real-label", type=float, help="target for real images; <1 is one-sided label smoothing")
    p.add_argument("--ema-decay", type=float, help="decay of the EMA generator; 0 exports the trained one")
    p.add_argument("--aux-weight", type=float,
                   help="weight of the AC-GAN class loss for the dcgan cGAN (default 1.0; 0 turns it off)")
    p.add_argument("--loss", choices=LOSSES, help="bce (non-saturating) or hinge; default from the arch's recipe")
    p.add_argument("--augment", metavar="POLICY",
                   help="DiffAugment on every image D sees: 'translation,cutout', or 'none'; default from the recipe")
    p.add_argument("--precision", choices=("auto", "fp32", "bf16"),
                   help="bf16 runs the forwards under autocast (weights, losses, optimizer in fp32); auto = bf16 on a "
                        "CPU with native bf16 (AVX512-BF16, AMX), else fp32. Default: auto for dcgan, fp32 for mlp")
    p.add_argument("--g-channels", type=int, metavar="C", help="dcgan generator width (default 128)")
    p.add_argument("--d-channels", type=int, metavar="C", help="dcgan discriminator width (default 64)")
    p.add_argument("--refine", action=argparse.BooleanOptionalAction,
                   help="dcgan generator: a 3x3 convolution at full resolution before the image")
    p.add_argument("--minibatch-std", action=argparse.BooleanOptionalAction,
                   help="dcgan discriminator: also sees how much each group of 4 images differs")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--limit", type=int, help="train on the first N images only (smoke runs)")
    p.add_argument("--snapshot-every", type=int, default=0, metavar="K",
                   help="also export the EMA generator every K epochs (for quality curves)")
    p.add_argument("--data-dir", help="folder with the Fashion-MNIST *-ubyte(.gz) files")
    p.add_argument("--device", choices=DEVICE_CHOICES, default="auto")
    p.add_argument("--out", default="runs/latest", help="output folder (default runs/latest)")
    p.add_argument("--resume", metavar="DIR", help="continue the run in DIR (its --out folder)")
    p.add_argument("--push-to-hub", metavar="USER/REPO", help="upload the exported folder(s) when done")
    p.add_argument("--private", action="store_true", help="with --push-to-hub: create a private repo")
    p.add_argument("--hub-token", help="Hugging Face token (default: the one `hf auth login` saved)")
    return p.parse_args(argv)


def configs_from_args(args, device) -> list[TrainConfig]:
    """One TrainConfig per model to train, filled from the arch's recipe where a flag is absent."""
    if args.minutes is not None:
        if not (math.isfinite(args.minutes) and args.minutes > 0):
            raise UserError(f"--minutes must be a positive number of minutes, got {args.minutes:g}")
        if args.epochs is not None:
            raise UserError("--minutes and --epochs both say how long to train: give one of them")
        if args.resume:
            raise UserError("--resume continues a run within the budget it started with: drop --minutes")
    if args.resume:
        folder = Path(args.resume)
        names = ["gan", "cgan"] if args.model == "both" else [args.model]
        found = [n for n in names if (folder / n / "training" / "checkpoint.pt").is_file()]
        if not found:
            raise UserError(f"{folder}: no training/checkpoint.pt under {' or '.join(names)}; give --resume the --out folder of an earlier run")
        configs = [config_from_checkpoint(folder / n) for n in found]  # the recorded precision included
        for config in configs:  # the model card shows every command that shaped the weights
            config.command = f"{config.command}\n{command_line()}"
        return configs
    if args.aux_weight is not None and (args.aux_weight < 0 or (args.aux_weight > 0 and args.arch != "dcgan")):
        raise UserError(f"--aux-weight {args.aux_weight}: give a weight >= 0, and a positive one only with --arch dcgan")
    shaped = [f for f, v in (("--g-channels", args.g_channels), ("--d-channels", args.d_channels),
                             ("--refine", args.refine), ("--minibatch-std", args.minibatch_std)) if v]
    if shaped and args.arch != "dcgan":
        raise UserError(f"{shaped[0]} shapes the dcgan networks; drop it for --arch {args.arch} (the chapter's MLPs)")
    for flag, value in (("--g-channels", args.g_channels), ("--d-channels", args.d_channels)):
        if value is not None and (not 8 <= value <= 1024 or value % 4):
            raise UserError(f"{flag} must be a multiple of 4 from 8 to 1024, got {value}")
    if args.limit is not None and args.limit < args.batch_size:
        raise UserError(f"--limit {args.limit} is smaller than one batch ({args.batch_size}); raise it or lower --batch-size")
    configs = []
    for m in (["gan", "cgan"] if args.model == "both" else [args.model]):
        defaults = recipe(args.arch, m)
        pick = lambda value, key: defaults[key] if value is None else value  # noqa: E731
        lr = pick(args.lr, "lr_g")
        for value, flag in ((args.batch_size, "--batch-size"), (pick(args.epochs, "epochs"), "--epochs")):
            if value < 1:
                raise UserError(f"{flag} must be at least 1, got {value}")
        configs.append(TrainConfig(
            model=m, arch=args.arch, epochs=pick(args.epochs, "epochs"), batch_size=args.batch_size,
            lr_g=lr, lr_d=args.lr_d if args.lr_d is not None else lr, beta1=pick(args.beta1, "beta1"),
            real_label=pick(args.real_label, "real_label"), ema_decay=pick(args.ema_decay, "ema_decay"),
            aux_weight=pick(args.aux_weight, "aux_weight") if m == "cgan" else 0.0,  # the GAN has no labels to classify
            loss=pick(args.loss, "loss"), augment="" if args.augment == "none" else pick(args.augment, "augment"),
            precision=resolve_precision(pick(args.precision, "precision"), device),
            g_channels=pick(args.g_channels, "g_channels"), d_channels=pick(args.d_channels, "d_channels"),
            refine=pick(args.refine, "refine"), minibatch_std=pick(args.minibatch_std, "minibatch_std"),
            seed=args.seed, limit=args.limit, snapshot_every=args.snapshot_every, command=command_line(),
        ))
    for config in configs:
        check_settings(config)  # a bad --augment fails now, before the data loads
    return configs


def share_of_budget(minutes: float, models_left: int) -> float:
    """Seconds for the next model: an equal share of what is left of the --minutes budget."""
    return max(0.0, minutes * 60 - (time.monotonic() - STARTED)) / models_left


def shaped_by_hand(args) -> bool:
    return any(v is not None for v in (args.g_channels, args.d_channels, args.refine, args.minibatch_std))


def main(argv=None) -> None:
    args = parse_args(argv)
    try:
        device = resolve_device(args.device)
        configs = configs_from_args(args, device)
        out = Path(args.resume or args.out)
        token = push.require_token(args.hub_token) if args.push_to_hub else None  # fail now, not after an hour
        images, labels = load_split("train", args.data_dir)
        for i, config in enumerate(configs):
            if args.minutes:  # this model's share of what is left of the budget
                config.budget_seconds = share_of_budget(args.minutes, len(configs) - i)
                if config.arch == "dcgan" and not shaped_by_hand(args):
                    config, why = networks_for_budget(config, images, labels, device)
                    print(why, flush=True)
                    config.budget_seconds = share_of_budget(args.minutes, len(configs) - i)  # choosing took some
                if config.budget_seconds <= 0:  # a zero budget would read as none: the recipe's whole length
                    raise UserError(f"--minutes {args.minutes:g} was spent before the {config.model} could start "
                                    f"({time.monotonic() - STARTED:.0f} s of start-up); give it more minutes")
            train(config, out, images, labels, device, resume=bool(args.resume), new_epochs=args.epochs if args.resume else None)
            print(f"exported {out / config.model}", flush=True)
    except UserError as e:
        exit_with(e)
    except Interrupted as e:
        print(f"\ninterrupted: progress saved to {e}; continue with: python train.py --resume {out}", file=sys.stderr)
        raise SystemExit(130)
    if args.push_to_hub:
        push.push_exports(out, [c.model for c in configs], args.push_to_hub, token, private=args.private)


if __name__ == "__main__":
    main()
