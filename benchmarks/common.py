"""What every benchmark shares: the machine line, a plain table, the JSON file."""

import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def machine() -> str:
    import torch

    cpu, flags = "unknown CPU", []
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name") and cpu == "unknown CPU":
                cpu = line.split(":", 1)[1].strip()
            elif line.startswith("flags") and not flags:
                flags = line.split(":", 1)[1].split()
    except OSError:
        pass
    # the instruction sets that decide the matrix peaks: fp32 vector width, and native bf16
    cpu += f" ({torch.backends.cpu.get_cpu_capability()}" + "".join(f", {f}" for f in ("avx512_bf16", "amx_bf16") if f in flags) + ")"
    gpu = f", GPU {torch.cuda.get_device_name(0)}" if torch.cuda.is_available() else ""
    return (f"{cpu}, {os.cpu_count()} cores, torch {torch.__version__} ({torch.get_num_threads()} threads), "
            f"Python {platform.python_version()}{gpu}")


def print_table(headers: list[str], rows: list[list]) -> None:
    cells = [[str(h) for h in headers]] + [[f"{v:,.1f}" if isinstance(v, float) else str(v) for v in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    for n, r in enumerate(cells):
        print("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))))
        if n == 0:
            print("  ".join("-" * w for w in widths))


def write_json(path, payload: dict) -> None:
    if path:
        Path(path).write_text(json.dumps({"machine": machine(), **payload}, indent=2) + "\n")
        print(f"wrote {path}")


def gradio_client(url: str, default_tls: bool = False):
    """A gradio_client Client for the app on localhost, light unless default_tls.

    The calls are plain HTTP to 127.0.0.1: no certificate is ever checked. With its
    default ssl_verify=True, gradio_client still has httpx build a certificate store
    for every HTTP call it makes (about 21 ms of CPU here, three calls per request),
    which on two cores costs more than the server's whole answer. ssl_verify=False
    skips that work and nothing else.
    """
    from gradio_client import Client

    return Client(url, verbose=False, ssl_verify=default_tls)


def client_label(default_tls: bool) -> str:
    """How the tables name the client `gradio_client(url, default_tls)` makes."""
    return "default (ssl_verify=True)" if default_tls else "ssl_verify=False"


def step_seconds(trainers: dict, rounds: int, steps: int) -> dict:
    """Seconds a training step takes with each fashion_gan Trainer, one value a round: after a warm-up step each
    (allocations), the trainers take turns, `steps` steps each a round, so a busy machine slows them alike."""
    orders = {key: trainer._permutation(0) for key, trainer in trainers.items()}
    for key, trainer in trainers.items():
        trainer.train_step(*trainer.batch(orders[key], 0))
    seconds = {key: [] for key in trainers}
    for _ in range(rounds):
        for key, trainer in trainers.items():
            started = time.perf_counter()
            for i in range(1, steps + 1):
                trainer.train_step(*trainer.batch(orders[key], i % trainer.steps_per_epoch))
            seconds[key].append((time.perf_counter() - started) / steps)
    return seconds
