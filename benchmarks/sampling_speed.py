"""Sampling throughput of the generators, and what fraction of the machine's matrix peak it reaches.

    python benchmarks/sampling_speed.py [--weights weights/cgan] [--mlp PATH] [--device cpu] [--json FILE]

Times the generator forward (latents drawn up front, inference mode) at batch
1, 64 and 1024, in fp32 and in bf16 (autocast, `--precision bf16` of the sample
CLI), the latency of one image end to end (seed -> uint8, as the demo does it),
and a large matrix multiply in each precision as the peak the cores can reach.
"""

import argparse
import statistics
import time

import common  # noqa: F401
import torch
from torch import nn

from fashion_gan import hub, sampling
from fashion_gan.device import resolve_device
from fashion_gan.models import MLPConditionalGenerator


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def timed(fn, device, min_seconds: float = 1.0) -> float:
    """Median seconds per call over repeated runs of at least min_seconds in all."""
    fn()
    sync(device)
    times, total = [], 0.0
    while total < min_seconds or len(times) < 5:
        started = time.perf_counter()
        fn()
        sync(device)
        times.append(time.perf_counter() - started)
        total += times[-1]
    return statistics.median(times)


def matmul_peak(device, precision: str, n: int = 2048) -> float:
    """GFLOP/s of an n x n matrix product in `precision`."""
    dtype = torch.bfloat16 if precision == "bf16" else torch.float32
    a, b = torch.randn(n, n, device=device, dtype=dtype), torch.randn(n, n, device=device, dtype=dtype)
    return 2 * n**3 / timed(lambda: a @ b, device) / 1e9


def flops_per_image(generator, device) -> float:
    """Multiply-adds x 2 of the Linear and (transposed) convolution layers for one image."""
    total = []

    def hook(module, inputs, output):
        if isinstance(module, nn.Linear):
            total.append(module.in_features * module.out_features)
        elif isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
            k = module.kernel_size[0] * module.kernel_size[1]
            spatial = output.shape[2] * output.shape[3] if isinstance(module, nn.Conv2d) else inputs[0].shape[2] * inputs[0].shape[3]
            total.append(spatial * k * module.in_channels * module.out_channels // module.groups)

    handles = [m.register_forward_hook(hook) for m in generator.modules() if isinstance(m, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d))]
    with torch.inference_mode():
        generator(torch.randn(1, generator.z_dim, device=device), torch.zeros(1, dtype=torch.long, device=device))
    for h in handles:
        h.remove()
    return 2.0 * sum(total)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--weights", default=str(common.ROOT / "weights" / "cgan"), help="the shipped cGAN")
    p.add_argument("--mlp", help="an MLP cGAN folder (default: the chapter's network, freshly initialised; speed does not depend on the weights)")
    p.add_argument("--device", default="auto")
    p.add_argument("--json")
    args = p.parse_args()
    device = resolve_device(args.device)
    peaks = {precision: matmul_peak(device, precision) for precision in sampling.PRECISIONS}
    networks = [("shipped cGAN", hub.load_network(args.weights, device))]
    mlp = hub.load_network(args.mlp, device) if args.mlp else MLPConditionalGenerator().to(device).eval()
    networks.append(("chapter MLP cGAN", mlp))
    rows, results = [], []
    for name, g in networks:
        flops = flops_per_image(g, device)
        arch = type(g).__name__
        for precision in sampling.PRECISIONS:
            for batch in (1, 64, 1024):
                z = torch.randn(batch, g.z_dim, device=device)
                labels = torch.arange(batch, device=device) % 10

                def forward():
                    with torch.inference_mode(), sampling.autocast(device, precision):
                        sampling.to_uint8(g(z, labels))

                per_call = timed(forward, device)
                ips = batch / per_call
                fraction = ips * flops / 1e9 / peaks[precision]
                rows.append([f"{name} ({arch})", precision, batch, ips, f"{per_call * 1e3:.2f}", f"{100 * fraction:.1f}%"])
                results.append(dict(network=name, architecture=arch, precision=precision, batch=batch, images_per_s=ips,
                                    ms_per_batch=per_call * 1e3, mflop_per_image=flops / 1e6, peak_fraction=fraction))
        latency = timed(lambda: sampling.generate(g, [42], [7], device=device), device)
        results.append(dict(network=name, architecture=arch, precision="fp32", one_image_latency_ms=latency * 1e3))
        rows.append([f"{name}: one image, seed -> uint8", "fp32", 1, 1 / latency, f"{latency * 1e3:.2f}", ""])
    print(f"Generator throughput on {device.type}; matrix peak measured here (2048x2048 matmul): "
          + ", ".join(f"{peaks[p]:,.0f} GFLOP/s {p}" for p in sampling.PRECISIONS))
    print(f"machine: {common.machine()}")
    for name, g in networks:
        print(f"  {name}: {flops_per_image(g, device) / 1e6:.2f} MFLOP per image")
    print()
    common.print_table(["generator", "precision", "batch", "images/s", "ms/batch", "of peak"], rows)
    common.write_json(args.json, {"device": device.type, "matmul_peak_gflops": peaks, "results": results})


if __name__ == "__main__":
    main()
