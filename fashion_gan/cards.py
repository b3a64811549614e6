"""Model cards: the README.md of an exported folder, with Hugging Face Hub front matter."""

from pathlib import Path

from .files import atomic_write

TITLES = {
    ("gan", "mlp"): "the chapter's MLP GAN (unconditional)",
    ("cgan", "mlp"): "the chapter's MLP cGAN (class-conditional)",
    ("gan", "dcgan"): "a DCGAN (unconditional)",
    ("cgan", "dcgan"): "a class-conditional DCGAN with a projection discriminator",
}


def front_matter(tags: list[str], pipeline_tag: str = "unconditional-image-generation") -> str:
    lines = ["---", "library_name: fashion-gan", "license: mit", "datasets:", "- zalando-datasets/fashion_mnist",
             f"pipeline_tag: {pipeline_tag}", "tags:"] + [f"- {t}" for t in tags] + ["---", ""]
    return "\n".join(lines)


def write_text_atomic(path: Path, text: str) -> None:
    with atomic_write(path) as tmp:
        tmp.write_text(text)


def write_model_card(folder: Path, *, model: str, arch: str, command: str, epochs: int, train_seconds: float,
                     images: int, aux_weight: float = 0.0, recipe: str = "", device: str = "cpu") -> None:
    """README.md for a generator folder: what it is, how it was trained, how to sample, its grid."""
    title = TITLES[(model, arch)] + (f" and an auxiliary classifier (AC-GAN loss weight {aux_weight:g})" if aux_weight else "")
    usage_class = " --class Sneaker" if model == "cgan" else ""
    text = front_matter(["gan", "fashion-mnist", "pytorch", model, arch]) + f"""
# fashion-gan: {title}

Generator trained on Fashion-MNIST ({images} training images) by
fashion-gan for {epochs} epochs, {train_seconds / 60:.1f} minutes of training on {"a CUDA GPU" if device == "cuda" else "the CPU"}.
The weights are the exponential moving average of the generator's weights when
the recipe keeps one. Training exports and Hub pushes carry the discriminator in
`discriminator/`.

Recipe: {recipe or "(not recorded)"}.

## Training command

```
{command or "(not recorded)"}
```

## Sampling

```
python -m fashion_gan.sample --weights PATH_OR_REPO --count 64 --seed 0{usage_class} --out samples.png
```

## Samples

![samples](samples.png)
"""
    write_text_atomic(folder / "README.md", text)


def set_evaluation(card: Path, evaluation: str) -> None:
    """Put `evaluation` under the card's "## Evaluation" heading, replacing what was there."""
    text = card.read_text() if card.is_file() else ""
    head = text.split("\n## Evaluation\n")[0].rstrip("\n")
    write_text_atomic(card, f"{head}\n\n## Evaluation\n\n{evaluation}\n")
