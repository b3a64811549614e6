"""Train the classifier whose features the metrics use, on real training images only.

    python -m fashion_gan.train_classifier --epochs 8 --out weights/classifier

It is trained once, for accuracy, and then frozen: generators are scored in its
feature space, so changing it would move every number in the README.
"""

import argparse
import time
from pathlib import Path

import torch
from torch import nn

from . import cards, hub
from .data import load_split, to_unit_range
from .device import DEVICE_CHOICES, resolve_device
from .errors import UserError, exit_with
from .metrics import classify
from .models import FashionClassifier


def accuracy(model, images, labels, device) -> float:
    model.eval()
    _, predicted = classify(model, images, device)
    return float((torch.from_numpy(predicted) == labels).float().mean())


def train_classifier(images, labels, test_images, test_labels, *, epochs: int, batch_size: int = 128,
                     lr: float = 1e-3, seed: int = 0, device=torch.device("cpu")) -> tuple[FashionClassifier, list[float]]:
    torch.manual_seed(seed)
    model = FashionClassifier().to(device)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    schedule = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr * 3, total_steps=epochs * (len(images) // batch_size))
    loss_fn = nn.CrossEntropyLoss()
    images, labels = images.to(device), labels.to(device)
    rng = torch.Generator().manual_seed(seed)
    accuracies = []
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(images), generator=rng).to(device)
        started = time.perf_counter()
        for i in range(len(images) // batch_size):
            idx = order[i * batch_size:(i + 1) * batch_size]
            x = to_unit_range(images[idx]).unsqueeze(1)
            # A random horizontal flip: clothes are left-right symmetric, and it halves overfitting.
            flip = torch.rand(len(idx), device=device) < 0.5
            x = torch.where(flip[:, None, None, None], x.flip(3), x)
            loss = loss_fn(model(x), labels[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            schedule.step()
        accuracies.append(accuracy(model, test_images, test_labels, device))
        print(f"classifier epoch {epoch + 1}/{epochs}  loss {loss.item():.4f}  test accuracy {accuracies[-1]:.4f}  "
              f"{time.perf_counter() - started:.1f} s", flush=True)
    return model.eval(), accuracies


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--epochs", type=int, default=8)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--data-dir")
    p.add_argument("--device", choices=DEVICE_CHOICES, default="auto")
    p.add_argument("--out", type=Path, default=Path("weights/classifier"))
    args = p.parse_args(argv)
    try:
        device = resolve_device(args.device)
        images, labels = load_split("train", args.data_dir)
        test_images, test_labels = load_split("test", args.data_dir)
        started = time.perf_counter()
        model, accuracies = train_classifier(images, labels, test_images, test_labels,
                                             epochs=args.epochs, seed=args.seed, device=device)
    except UserError as e:
        exit_with(e)
    minutes = (time.perf_counter() - started) / 60
    hub.save_network(model.cpu(), args.out)
    cards.write_text_atomic(args.out / "README.md", cards.front_matter(["fashion-mnist", "pytorch"], "image-classification") + f"""
# fashion-gan: the scoring classifier

A small CNN trained on the 60,000 Fashion-MNIST training images (random horizontal
flips, Adam with a one-cycle schedule, {args.epochs} epochs, {minutes:.1f} minutes on
{device.type}). Its 128-d penultimate layer is the feature space of fashion-gan's
FID, precision and recall; its predictions give the class accuracy of conditional
samples.

**Test accuracy: {accuracies[-1]:.4f}** on the 10,000 test images.

```
python -m fashion_gan.train_classifier --epochs {args.epochs} --seed {args.seed} --out {args.out}
```
""")
    print(f"saved {args.out}  test accuracy {accuracies[-1]:.4f}")


if __name__ == "__main__":
    main()
