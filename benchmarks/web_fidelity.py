"""How close the site's ONNX generators come to torch's pictures, with fp16-stored and fp32 weights.

    python benchmarks/web_fidelity.py [--seeds 1000] [--json FILE]

Exports weights/cgan and weights/gan both ways (as `python -m fashion_gan.web build` does, with
and without --fp32), runs them in onnxruntime on this CPU for seeds 0..N-1 (every class for the
cGAN) and compares the uint8 pictures with fashion_gan.sampling.generate's: the largest
difference in grey levels, and the share of pixels that differ at all. onnxruntime-web in the
browser runs the same graph; tests/test_web.py checks its pictures against torch's too.
"""

import argparse
import tempfile
from pathlib import Path

import numpy as np
import torch

import common
from fashion_gan import hub, latent, sampling, web


def pictures(path: Path, z: np.ndarray, vectors: np.ndarray | None) -> np.ndarray:
    import onnxruntime

    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    feeds = {"z": z} if vectors is None else {"z": z, "label_vector": vectors}
    return sampling.to_uint8(torch.from_numpy(session.run(None, feeds)[0]).view(-1, 1, 28, 28)).astype(int)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seeds", type=int, default=1000)
    p.add_argument("--json", type=Path)
    args = p.parse_args()
    torch.set_num_threads(1)
    seeds = list(range(args.seeds))
    z = latent.latents_from_seeds(seeds, 100).numpy()
    folder = Path(tempfile.mkdtemp(prefix="fashion-gan-onnx-"))
    rows, results = [], {"machine": common.machine(), "seeds": args.seeds}
    for name, weights in (("cgan", web.DEFAULT_CGAN), ("gan", web.DEFAULT_GAN)):
        generator = hub.load_network(weights)
        labels = range(10) if generator.num_classes else [None]
        want = {y: sampling.generate(generator, seeds, None if y is None else [y] * len(seeds)).astype(int) for y in labels}
        for fp16 in (True, False):
            path = folder / f"{name}_{'fp16' if fp16 else 'fp32'}.onnx"
            web.export_onnx(generator, path, fp16)
            differences = [np.abs(pictures(path, z, None if y is None else generator.embed(torch.full((len(seeds),), y))
                                           .detach().numpy()) - want[y]) for y in labels]
            difference = np.stack(differences)
            row = {"model": name, "weights": "fp16" if fp16 else "fp32", "mb": path.stat().st_size / 2**20,
                   "pictures": difference.shape[0] * difference.shape[1], "max_grey_levels": int(difference.max()),
                   "pixels_differing_pct": 100 * float((difference > 0).mean())}
            results[f"{name}_{row['weights']}"] = row
            rows.append([name, row["weights"], f"{row['mb']:.2f}", f"{row['pictures']:,}", row["max_grey_levels"],
                         f"{row['pixels_differing_pct']:.3f}"])
    print(f"machine: {results['machine']}")
    common.print_table(["model", "weights", "ONNX MB", "pictures", "largest difference (grey levels)",
                        "pixels that differ (%)"], rows)
    if args.json:
        common.write_json(args.json, results)


if __name__ == "__main__":
    main()
