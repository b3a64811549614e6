"""The one place that turns --device auto|cpu|cuda into a torch.device."""

from pathlib import Path

import torch

from .errors import UserError

DEVICE_CHOICES = ("auto", "cpu", "cuda")


def resolve_device(name: str = "auto") -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cpu":
        return torch.device("cpu")
    if name == "cuda":
        if not torch.cuda.is_available():
            raise UserError("--device cuda was asked for but no CUDA GPU is visible; use --device cpu or auto")
        return torch.device("cuda")
    raise UserError(f"unknown device {name!r}; choose one of {', '.join(DEVICE_CHOICES)}")


def native_bf16(device: torch.device) -> bool:
    """Whether `device` multiplies bf16 matrices in hardware (bf16 tensor cores; AVX512-BF16 or AMX).

    Elsewhere autocast to bf16 is emulated and slower than fp32, so "auto" precision picks fp32 there.
    """
    if device.type == "cuda":
        return torch.cuda.is_bf16_supported()
    try:
        flags = {word for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("flags")
                 for word in line.split()}
    except OSError:  # not Linux: assume no
        return False
    return bool(flags & {"avx512_bf16", "amx_bf16"})


def resolve_precision(name: str, device: torch.device) -> str:
    """--precision auto|fp32|bf16 -> "fp32" or "bf16"; auto is bf16 only where the hardware does it natively."""
    if name == "auto":
        return "bf16" if native_bf16(device) else "fp32"
    if name not in ("fp32", "bf16"):
        raise UserError(f"unknown precision {name!r}; choose one of auto, fp32, bf16")
    return name
