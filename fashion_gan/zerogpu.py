"""Hugging Face ZeroGPU: which work asks for a GPU, and the one place that asks.

On a ZeroGPU Space the process never owns a GPU. A function wrapped by
`spaces.GPU` is queued for one (seconds when the pool is busy), runs in a
worker that holds it, and is charged to the visitor's daily quota (3.5 minutes
for a free account). The Space refuses to start unless at least one function is
wrapped. Outside a ZeroGPU Space `spaces.GPU` returns the function unchanged,
and without the `spaces` package installed `gpu` does the same.

Which handlers go inside: one 28x28 picture costs about 1 ms on a CPU (the GAN: 3), and a
click's whole handler (a 60-frame walk, a map of 80 thumbnails) stays well under
100 ms, so every interactive handler runs on the Space's CPU and never waits for
a GPU. Only the batch download (up to 10,000 images, about 2.5 s of CPU) is
wrapped: a GPU makes it in milliseconds, and it is the one request whose size
the visitor chooses.
"""

import os

try:  # before anything initialises CUDA: `spaces` refuses to patch torch after that
    import spaces
except ImportError:  # a local install without the Space's extras
    spaces = None


def on_zero_gpu() -> bool:
    """True in a ZeroGPU Space (the platform sets SPACES_ZERO_GPU); its main process must stay off CUDA."""
    return os.environ.get("SPACES_ZERO_GPU", "").lower() in ("1", "t", "true")


def gpu(fn, duration: int = 30):
    """`fn` wrapped by spaces.GPU where that exists (a no-op outside ZeroGPU), else `fn` itself."""
    return fn if spaces is None else spaces.GPU(fn, duration=duration)
