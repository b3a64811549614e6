"""Saving and loading networks as Hugging Face Hub folders: config.json + model.safetensors.

config.json holds the network's keyword arguments (written by
PyTorchModelHubMixin) plus "architecture", the class name, so one loader
rebuilds any network without flags. Weights load with strict=True: a
config/weights mismatch is an error, never a silently half-loaded model.
"""

import contextlib
import io
import json
import os
import shutil
import tempfile
from pathlib import Path

import torch
from safetensors import SafetensorError

from . import models
from .errors import UserError

NETWORKS = {
    cls.__name__: cls
    for cls in (
        models.MLPGenerator, models.MLPDiscriminator,
        models.MLPConditionalGenerator, models.MLPConditionalDiscriminator,
        models.DCGANGenerator, models.DCGANDiscriminator,
        models.FashionClassifier, models.LatentEncoder,
    )
}


def save_network(model: models.HubModule, folder: str | Path) -> None:
    """Write `folder` with config.json and model.safetensors, atomically (temp folder, then rename)."""
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    tmp.chmod(0o755)  # mkdtemp's private 0700 would otherwise become the published folder's mode
    try:
        model.save_pretrained(tmp)
        config_path = tmp / "config.json"
        config = {**json.loads(config_path.read_text()), "architecture": type(model).__name__}
        config_path.write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")
        (tmp / "README.md").unlink(missing_ok=True)  # the mixin's stub card; ours is written by cards.py
        if folder.is_dir():  # keep what else lives there (a model card, a discriminator/ folder)
            for item in tmp.iterdir():
                os.replace(item, folder / item.name)
        else:
            os.replace(tmp, folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _config_path(source: str | Path) -> Path:
    path = Path(source)
    if path.is_dir():
        return path / "config.json"
    if path.exists() or str(source).startswith((".", "/")) or str(source).count("/") != 1:
        raise UserError(f"{source}: no such model folder (expected a folder with config.json and model.safetensors, or a Hub repo id USER/REPO)")
    from huggingface_hub import hf_hub_download

    try:
        return Path(hf_hub_download(str(source), "config.json"))
    except Exception as e:  # offline, no such repo, no access: all the user can do is check the id or the network
        raise UserError(f"{source}: cannot fetch config.json from the Hugging Face Hub ({type(e).__name__}); check the repo id and your connection") from None


def load_network(source: str | Path, device: torch.device | str = "cpu", expect: type | None = None) -> models.HubModule:
    """Rebuild a network from a local folder or a Hub repo id, in eval mode on `device`."""
    config_path = _config_path(source)
    if not config_path.is_file():
        raise UserError(f"{config_path}: missing; is {source} a model folder written by fashion-gan?")
    try:
        config = json.loads(config_path.read_text())
        cls = NETWORKS[config["architecture"]]
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise UserError(f"{config_path}: not valid JSON ({e})") from None
    except (KeyError, TypeError):
        raise UserError(f"{config_path}: no known \"architecture\" entry; expected one of {', '.join(NETWORKS)}") from None
    if expect is not None and not issubclass(cls, expect):
        raise UserError(f"{source}: holds a {cls.__name__}, not a {expect.__name__}")
    weights = config_path.parent / "model.safetensors"
    if Path(source).is_dir() and not weights.is_file():
        raise UserError(f"{weights}: missing")
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # the mixin prints "Loading weights from local directory"
            model = cls.from_pretrained(str(source), strict=True, map_location=str(device))
    except (SafetensorError, RuntimeError, TypeError, ValueError, OSError) as e:
        first_line = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise UserError(f"{weights}: cannot load the weights ({first_line[:200]})") from None
    return model.to(device).eval()
