"""Score a generator against the 10,000 Fashion-MNIST test images.

    python -m fashion_gan.evaluate --weights weights/cgan [--count 10000] [--json FILE]

Reports FID, improved precision/recall (k=3) and, for a conditional generator,
class accuracy, all in the feature space of the shipped classifier
(weights/classifier), beside the same numbers for real training images: the
floor no generator can beat by much.
"""

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch

from . import cards, hub, metrics, sampling
from .data import CLASS_NAMES, load_split
from .device import DEVICE_CHOICES, resolve_device
from .errors import UserError, exit_with
from .files import atomic_write
from .models import FashionClassifier, Generator

DEFAULT_CLASSIFIER = Path(__file__).resolve().parent.parent / "weights" / "classifier"


def sample_for_evaluation(generator, count: int, seed: int, device,
                          precision: str = "fp32") -> tuple[np.ndarray, np.ndarray | None]:
    """`count` images from seeds seed.., classes balanced (i % 10) for a conditional generator."""
    seeds = np.arange(seed, seed + count)
    labels = np.arange(count) % generator.num_classes if generator.num_classes else None
    return sampling.generate(generator, seeds, labels, device=device, precision=precision), labels


def evaluate(weights, *, count: int = 10_000, seed: int = 0, classifier=DEFAULT_CLASSIFIER, data_dir=None,
             device: torch.device = torch.device("cpu"), with_floor: bool = True, precision: str = "fp32") -> dict:
    """The numbers for one generator and, with_floor, for `count` real training images."""
    if not 2 <= count <= 10_000:
        raise UserError(f"--count must be between 2 and 10000 (the size of the test split), got {count}")
    generator = hub.load_network(weights, device, expect=Generator)
    scorer = hub.load_network(classifier, device, expect=FashionClassifier)
    test_images, _ = load_split("test", data_dir)
    started = time.perf_counter()
    # Same N on both sides: FID and the k-NN radii both depend on the sample size.
    reference, _ = metrics.classify(scorer, test_images[:count], device)
    images, requested = sample_for_evaluation(generator, count, seed, device, precision)
    features, predicted = metrics.classify(scorer, images, device)
    result = {"weights": str(weights), "count": count, "precision": precision,
              "generator": metrics.score(reference, features, predicted, requested)}
    if with_floor:
        train_images, train_labels = load_split("train", data_dir)
        pick = torch.randperm(len(train_images), generator=torch.Generator().manual_seed(seed))[:count]
        real_features, real_predicted = metrics.classify(scorer, train_images[pick], device)
        result["real_train"] = metrics.score(reference, real_features, real_predicted, train_labels[pick].numpy())
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def format_table(result: dict) -> str:
    columns = [("generator", result["generator"])] + ([("real train (floor)", result["real_train"])] if "real_train" in result else [])
    rows = [("FID", "fid", "{:.3f}"), ("precision", "precision", "{:.3f}"), ("recall", "recall", "{:.3f}"),
            ("class accuracy", "class_accuracy", "{:.3f}")]
    sampled_in = "" if result["precision"] == "fp32" else f" sampled in {result['precision']}"
    lines = [f"{result['weights']}: {result['count']} samples{sampled_in} vs {result['count']} test images "
             f"(features of weights/classifier, k=3 for precision/recall)", ""]
    lines.append(f"{'metric':<16}" + "".join(f"{name:>20}" for name, _ in columns))
    for label, key, fmt in rows:
        if key in result["generator"]:
            lines.append(f"{label:<16}" + "".join(f"{fmt.format(col[key]):>20}" for _, col in columns))
    per_class = result["generator"].get("class_accuracy_per_class")
    if per_class:
        lines += ["", "class accuracy per class:"]
        lines += [f"  {name:<12} {acc:.3f}" for name, acc in zip(CLASS_NAMES, per_class)]
    lines += ["", f"({result['seconds']} s)"]
    return "\n".join(lines)


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--weights", default="weights/cgan", help="generator folder or Hub repo id")
    p.add_argument("--count", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=0, help="first sample seed")
    p.add_argument("--classifier", default=str(DEFAULT_CLASSIFIER))
    p.add_argument("--no-floor", action="store_true", help="skip the real-data reference column")
    p.add_argument("--data-dir")
    p.add_argument("--device", choices=DEVICE_CHOICES, default="auto")
    p.add_argument("--precision", choices=sampling.PRECISIONS, default="fp32", help="the generator's precision")
    p.add_argument("--json", type=Path, help="also write the numbers to this file")
    p.add_argument("--card", action="store_true", help="also put the table into the model card (WEIGHTS/README.md)")
    args = p.parse_args(argv)
    if args.card and args.precision != "fp32":  # the card describes the weights as shipped
        exit_with(UserError("--card records the fp32 evaluation; drop --precision bf16 to write the card"))
    try:
        result = evaluate(args.weights, count=args.count, seed=args.seed, classifier=args.classifier,
                          data_dir=args.data_dir, device=resolve_device(args.device), with_floor=not args.no_floor,
                          precision=args.precision)
    except UserError as e:
        exit_with(e)
    table = format_table(result)
    print(table)
    if args.card:
        command = f"python -m fashion_gan.evaluate --weights {args.weights} --count {args.count}" + (f" --seed {args.seed}" if args.seed else "")
        cards.set_evaluation(Path(args.weights) / "README.md", f"```\n$ {command}\n{table}\n```")
    if args.json:
        with atomic_write(args.json) as tmp:
            tmp.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
