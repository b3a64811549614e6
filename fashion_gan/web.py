"""The explorer as a static site: the generators exported to ONNX and run in the visitor's browser.

    python -m fashion_gan.web build DIR [--weights weights/cgan] [--gan-weights weights/gan] [--fp32]

DIR gets index.html and the page's ES modules (from web/), the two generators as
ONNX, site.json (class names, z sizes, the label embedding, the SeFa directions,
the page's limits) and onnxruntime-web's WebAssembly build (from web/node_modules,
installed by `npm ci --prefix web`). Any static file server can serve DIR; the page
fetches nothing from another origin.
"""

import argparse
import contextlib
import io
import json
import shutil
import warnings
from pathlib import Path

import torch
from torch import nn

from . import hub, latent
from .data import CLASS_NAMES
from .errors import UserError, exit_with
from .files import new_folder
from .models import Generator

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "web"
PAGE_FILES = ("index.html", "style.css", "app.js", "latent.js", "models.js")  # web/test/ and npm's files stay out
# onnxruntime-web's WebAssembly-only build: the smallest one (14 MB; the WebGPU/WebGL builds are 28 MB and more),
# and a 15 MFLOP generator gains nothing from a GPU once uploads and downloads are paid. Its one .wasm is
# SIMD + threads; we run it on one thread, which needs no cross-origin isolation (a static Space sets none).
ORT_DIST = SITE / "node_modules" / "onnxruntime-web" / "dist"
ORT_FILES = ("ort.wasm.min.mjs", "ort-wasm-simd-threaded.mjs", "ort-wasm-simd-threaded.wasm")
BUDGET_BYTES = 30 * 2**20  # the whole site
DEFAULT_CGAN, DEFAULT_GAN = ROOT / "weights" / "cgan", ROOT / "weights" / "gan"
FP16_MIN_SIZE = 1024  # weight tensors this large are stored as fp16; small ones (biases, BatchNorm) stay fp32


class _Pixels(nn.Module):
    """(z, label vectors) -> (B, 784) in [-1, 1]: the generator's `synthesize`, flattened.

    The label vector, not the class index, is the input, so the page's class morph (a lerp
    between two rows of the embedding, shipped in site.json) runs through the same model.
    """

    def __init__(self, generator: Generator):
        super().__init__()
        self.generator = generator

    def forward(self, z, label_vectors=None):
        return self.generator.synthesize(z, label_vectors).flatten(1)


def export_onnx(generator: Generator, path: Path, fp16: bool = True) -> None:
    """Write `generator` as ONNX (batch size free) to `path`; fp16: large weights stored as fp16.

    fp16 storage halves the download and costs at most one grey level (tests/test_web.py holds it to
    that): the weights are cast back to fp32 when the session loads, and all arithmetic is fp32.
    """
    conditional = bool(generator.num_classes)
    z = torch.zeros(2, generator.z_dim)
    inputs = (z, generator.embed(torch.zeros(2, dtype=torch.long))) if conditional else (z,)
    names = ["z", "label_vector"][: len(inputs)]
    buffer = io.BytesIO()
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")  # the TorchScript exporter's deprecation notice: it still exports these nets exactly
        torch.onnx.export(_Pixels(generator).eval(), inputs, buffer, input_names=names, output_names=["image"],
                          dynamic_axes={name: {0: "batch"} for name in [*names, "image"]}, dynamo=False, opset_version=17)
    import onnx

    model = onnx.load_from_string(buffer.getvalue())
    if fp16:
        _store_half(model)
    onnx.save(model, path)


def _store_half(model) -> None:
    """Large float initializers become fp16 ones, each followed by a Cast back to fp32 under the old name."""
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper

    kept, casts = [], []
    for init in model.graph.initializer:
        array = numpy_helper.to_array(init)
        if array.dtype == np.float32 and array.size >= FP16_MIN_SIZE:
            half = numpy_helper.from_array(array.astype(np.float16), f"{init.name}.fp16")
            kept.append(half)
            casts.append(helper.make_node("Cast", [half.name], [init.name], to=TensorProto.FLOAT))
        else:
            kept.append(init)
    nodes = casts + list(model.graph.node)
    del model.graph.initializer[:], model.graph.node[:]
    model.graph.initializer.extend(kept)
    model.graph.node.extend(nodes)


def _floats(tensor: torch.Tensor) -> list:
    return tensor.detach().float().cpu().tolist()  # exact float32 values; the page reads them with Math.fround


def shown(folder: Path) -> str:
    """weights/cgan rather than an absolute path, for the page's reproduce lines."""
    path = Path(folder).resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(folder)


def site_config(cgan: Generator, gan: Generator | None, weights: Path, gan_weights: Path | None) -> dict:
    """What the page needs to know beyond the ONNX files; the limits are the Gradio app's own."""
    from . import demo  # its limits are the API's: the page refuses what the server would refuse

    config = {
        "classes": list(CLASS_NAMES),
        "seedMax": latent.SEED_MAX,
        "row": latent.ROW,
        "limits": {"maxCount": demo.MAX_COUNT, "minSteps": demo.MIN_STEPS, "maxSteps": demo.MAX_STEPS,
                   "maxTruncation": demo.MAX_TRUNCATION, "maxAmount": demo.MAX_AMOUNT,
                   "maxWalkFrames": demo.MAX_WALK_FRAMES, "maxKeyframes": latent.MAX_KEYFRAMES,
                   "mapColumns": demo.MAP_COLUMNS, "mapRows": demo.MAP_ROWS},
        "cgan": {"file": "cgan.onnx", "weights": shown(weights), "zDim": cgan.z_dim,
                 "parameters": sum(p.numel() for p in cgan.parameters()),
                 "embedding": _floats(cgan.embed(torch.arange(cgan.num_classes))),
                 "directions": _floats(latent.principal_directions(cgan, demo.DIRECTIONS))},
    }
    if gan is not None:
        config["gan"] = {"file": "gan.onnx", "weights": shown(gan_weights), "zDim": gan.z_dim,
                         "parameters": sum(p.numel() for p in gan.parameters())}
    return config


def check_ort() -> None:
    missing = [name for name in ORT_FILES if not (ORT_DIST / name).is_file()]
    if missing:
        raise UserError(f"{ORT_DIST / missing[0]}: missing; install onnxruntime-web with `npm ci --prefix web` "
                        f"(needs node and npm: `apt-get install nodejs npm`)")


def build(out: Path, weights: Path = DEFAULT_CGAN, gan_weights: Path | None = DEFAULT_GAN, fp16: bool = True,
          extra: dict[str, str] | None = None) -> list[Path]:
    """Write the static site into `out` (absent or empty); returns its files, relative, sorted.

    extra: more text files for the site's root (name -> content), e.g. a Space's README.md.
    """
    check_ort()
    cgan = hub.load_network(weights, "cpu", expect=Generator)
    if not cgan.num_classes:
        raise UserError(f"{weights}: the site's main model must be the class-conditional generator (cGAN)")
    gan = hub.load_network(gan_weights, "cpu", expect=Generator) if gan_weights else None
    if gan is not None and gan.num_classes:
        raise UserError(f"{gan_weights}: --gan-weights must be an unconditional generator")
    with new_folder(out) as tmp:
        for name in PAGE_FILES:
            shutil.copy2(SITE / name, tmp / name)
        (tmp / "ort").mkdir()
        for name in ORT_FILES:
            shutil.copy2(ORT_DIST / name, tmp / "ort" / name)
        export_onnx(cgan, tmp / "cgan.onnx", fp16)
        if gan is not None:
            export_onnx(gan, tmp / "gan.onnx", fp16)
        config = site_config(cgan, gan, Path(weights), gan_weights and Path(gan_weights))
        (tmp / "site.json").write_text(json.dumps(config, separators=(",", ":")) + "\n")
        for name, text in (extra or {}).items():
            (tmp / name).write_text(text)
        size = sum(p.stat().st_size for p in tmp.rglob("*") if p.is_file())
        if size > BUDGET_BYTES:
            raise UserError(f"the site would be {size / 2**20:.1f} MB, over its {BUDGET_BYTES / 2**20:.0f} MB budget")
    return sorted(p.relative_to(out) for p in Path(out).rglob("*") if p.is_file())


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = p.add_subparsers(dest="command", required=True)
    b = commands.add_parser("build", help="write the static site into DIR (absent or empty)")
    b.add_argument("dir", type=Path)
    b.add_argument("--weights", type=Path, default=DEFAULT_CGAN, help="cGAN generator folder (default weights/cgan)")
    b.add_argument("--gan-weights", default=str(DEFAULT_GAN),
                   help="unconditional GAN folder (default weights/gan; 'none' leaves its view out)")
    b.add_argument("--fp32", action="store_true", help="store the weights as fp32 (twice the size; default fp16)")
    args = p.parse_args(argv)
    gan = None if args.gan_weights == "none" else Path(args.gan_weights)
    try:
        files = build(args.dir, args.weights, gan, fp16=not args.fp32)
    except UserError as e:
        exit_with(e)
    size = sum((args.dir / f).stat().st_size for f in files)
    print(f"wrote the site ({len(files)} files, {size / 2**20:.1f} MB) to {args.dir}; "
          f"serve it with: python -m http.server -d {args.dir} 8000")


if __name__ == "__main__":
    main()
