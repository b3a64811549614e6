"""fashion-gan demo: make Fashion-MNIST clothes by class and seed, and walk the latent space.

    python app.py [--weights DIR | --hub-repo USER/REPO] [--device auto|cpu|cuda]
                  [--host 127.0.0.1] [--port 7860] [--share]

GRADIO_SERVER_NAME and GRADIO_SERVER_PORT are honoured (Hugging Face Spaces sets them).
"""

import argparse
import asyncio
import os
import random
import sys
from pathlib import Path

import gradio as gr
import torch

from fashion_gan import zerogpu  # first of ours: on ZeroGPU, `spaces` must patch torch before anything uses CUDA
from fashion_gan.data import CLASS_NAMES
from fashion_gan.demo import MAX_BATCH, MAX_COUNT, MAX_STEPS, MIN_STEPS, Demo
from fashion_gan.device import DEVICE_CHOICES, resolve_device
from fashion_gan.errors import UserError, exit_with
from fashion_gan.sampling import SEED_MAX

HERE = Path(__file__).resolve().parent
DEFAULT_CGAN, DEFAULT_GAN = HERE / "weights" / "cgan", HERE / "weights" / "gan"
PRIVATE = dict(api_visibility="private")  # UI conveniences that should not clutter the API page


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = p.add_mutually_exclusive_group()
    source.add_argument("--weights", default=str(DEFAULT_CGAN), help="cGAN generator folder (default weights/cgan)")
    source.add_argument("--hub-repo", metavar="USER/REPO", help="load the cGAN generator from the Hugging Face Hub")
    p.add_argument("--gan-weights", default=str(DEFAULT_GAN),
                   help="unconditional GAN folder for its tab (default weights/gan; 'none' hides the tab)")
    p.add_argument("--device", choices=DEVICE_CHOICES, default="auto")
    p.add_argument("--host", default=os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(os.environ.get("GRADIO_SERVER_PORT", "7860")))
    p.add_argument("--share", action="store_true", help="also open a public gradio.live link")
    return p.parse_args(argv)


def reproduce(client_target: str, weights: str):
    """Markdown with the CLI command and the gradio_client call that make the same picture."""
    def text(class_name, seed, truncation, count):
        trunc = f" --truncation {truncation:g}" if truncation else ""
        return (
            f"**Reproduce it**\n\n```\npython -m fashion_gan.sample --weights {weights} --class \"{class_name}\" "
            f"--seed {int(seed)} --count {int(count)}{trunc} --out samples.png\n```\n"
            f"```python\nfrom gradio_client import Client\n"
            f"Client(\"{client_target}\").predict(\"{class_name}\", {int(seed)}, {truncation:g}, {int(count)}, api_name=\"/generate\")\n```"
        )
    return text


def shown(weights: str) -> str:
    """weights/cgan rather than /long/path/to/repo/weights/cgan for folders inside the repository."""
    path = Path(weights).resolve()
    return str(path.relative_to(HERE)) if path.is_relative_to(HERE) else weights


def build(model: Demo, client_target: str) -> gr.Blocks:
    with gr.Blocks(title="fashion-gan", delete_cache=(3600, 3600)) as page:
        gr.Markdown("# fashion-gan\nA class-conditional GAN trained on Fashion-MNIST. "
                    "Pick a class and a seed: the same seed always gives the same picture.")

        with gr.Tab("Generate"):
            with gr.Row():
                with gr.Column():
                    class_name = gr.Dropdown(list(CLASS_NAMES), value="Sneaker", label="Class")
                    with gr.Row():
                        seed = gr.Slider(0, SEED_MAX, value=42, step=1, label="Seed", scale=4)
                        dice = gr.Button("🎲 Random", scale=1, min_width=90)
                    truncation = gr.Slider(0, 3, value=0, step=0.05, label="Truncation (0 = off; lower = more typical)")
                    count = gr.Slider(1, MAX_COUNT, value=1, step=1, label="Count (seeds S, S+1, …)")
                    go = gr.Button("Generate", variant="primary")
                with gr.Column():
                    image = gr.Image(label="Generated", format="png", interactive=False, elem_id="generated")
                    native = gr.File(label="Native 28×28 PNG")
                    code = gr.Markdown()
            inputs = [class_name, seed, truncation, count]
            after = dict(fn=model.native_png, inputs=inputs, outputs=native, **PRIVATE)
            go.click(model.generate, inputs, image, api_name="generate").then(**after)
            for event in (class_name.change, seed.release, truncation.release, count.release):
                event(model.generate, inputs, image, **PRIVATE).then(**after)
            dice.click(lambda: random.randint(0, SEED_MAX), None, seed, **PRIVATE).then(
                model.generate, inputs, image, **PRIVATE).then(**after)
            with gr.Accordion("Batch download (.npz, up to 10,000 images)", open=False):
                with gr.Row():
                    b_count = gr.Number(value=1000, precision=0, minimum=1, maximum=MAX_BATCH, label="Images (seeds S, S+1, …)")
                    b_go = gr.Button("Make the batch")
                b_file = gr.File(label="images, labels, seeds (numpy .npz)")
            # The one handler worth a GPU: see fashion_gan/zerogpu.py for why only this one.
            b_go.click(zerogpu.gpu(model.batch), [class_name, seed, b_count], b_file, api_name="batch")
            describe = reproduce(client_target, shown(model.weights))
            for event in (go.click, class_name.change, seed.change, truncation.change, count.change):
                event(describe, inputs, code, **PRIVATE, queue=False)

        with gr.Tab("Interpolate"):
            with gr.Row():
                with gr.Column():
                    gr.Markdown("**Noise interpolation**: one class, the latent walking from seed A to seed B.")
                    i_class = gr.Dropdown(list(CLASS_NAMES), value="Dress", label="Class")
                    seed_a = gr.Number(value=1, precision=0, minimum=0, maximum=SEED_MAX, label="Seed A")
                    seed_b = gr.Number(value=2, precision=0, minimum=0, maximum=SEED_MAX, label="Seed B")
                    steps = gr.Slider(MIN_STEPS, MAX_STEPS, value=10, step=1, label="Steps")
                    method = gr.Radio(["slerp", "lerp"], value="slerp", label="Method")
                    i_go = gr.Button("Interpolate", variant="primary")
                with gr.Column():
                    frames = gr.Image(label="Frames", format="png", interactive=False, elem_id="frames")
                    gif = gr.File(label="Animated GIF")
            i_go.click(model.interpolate, [i_class, seed_a, seed_b, steps, method], [frames, gif], api_name="interpolate")
            with gr.Row():
                with gr.Column():
                    gr.Markdown("**Class morph**: one seed, the label embedding moving from class A to class B.")
                    m_seed = gr.Number(value=7, precision=0, minimum=0, maximum=SEED_MAX, label="Seed")
                    class_a = gr.Dropdown(list(CLASS_NAMES), value="Sneaker", label="Class A")
                    class_b = gr.Dropdown(list(CLASS_NAMES), value="Ankle boot", label="Class B")
                    m_steps = gr.Slider(MIN_STEPS, MAX_STEPS, value=10, step=1, label="Steps")
                    m_go = gr.Button("Morph", variant="primary")
                with gr.Column():
                    m_frames = gr.Image(label="Frames", format="png", interactive=False)
                    m_gif = gr.File(label="Animated GIF")
            m_go.click(model.morph, [m_seed, class_a, class_b, m_steps], [m_frames, m_gif], api_name="morph")

        with gr.Tab("All classes"):
            g_seed = gr.Slider(0, SEED_MAX, value=0, step=1, label="Seed")
            g_go = gr.Button("Show all ten classes", variant="primary")
            g_image = gr.Image(label=" · ".join(CLASS_NAMES), format="png", interactive=False)
            g_go.click(model.class_grid, g_seed, g_image, api_name="class_grid")

        if model.gan is not None:
            with gr.Tab("Unconditional GAN"):
                gr.Markdown("The chapter's first model: noise in, a garment out, no say in which.")
                u_seed = gr.Slider(0, SEED_MAX, value=0, step=1, label="Seed")
                u_go = gr.Button("Generate", variant="primary")
                u_image = gr.Image(label="Generated", format="png", interactive=False)
                u_go.click(model.gan_image, u_seed, u_image, api_name="gan")

        gr.Markdown(f"<small>Device: **{model.device}** · model: `{shown(model.weights)}` · "
                    f"{model.parameter_count:,} generator parameters</small>")
        page.load(model.generate, inputs, image, **PRIVATE).then(**after)
        page.load(describe, inputs, code, **PRIVATE, queue=False)
    return page


def load(args) -> Demo:
    # A ZeroGPU Space's main process has no GPU (CUDA exists only inside spaces.GPU calls): serve from the CPU.
    device = torch.device("cpu") if zerogpu.on_zero_gpu() else resolve_device(args.device)
    # Requests are small (one image is ~1 ms of compute): one torch thread each, so idle OpenMP
    # threads do not spin on the cores the web server needs; the queue runs up to eight at once.
    torch.set_num_threads(1)
    gan = None if args.gan_weights == "none" else args.gan_weights
    if gan == str(DEFAULT_GAN) and not DEFAULT_GAN.is_dir():
        gan = None  # the default folder is optional; a folder given by hand must exist
    model = Demo(args.hub_repo or args.weights, gan, device)
    model.warm_up()
    return model


def client_target(args) -> str:
    host = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    return os.environ.get("SPACE_ID") or f"http://{host}:{args.port}/"


async def page(args) -> gr.Blocks:
    # Built inside a running event loop: outside one, gradio makes a new loop for each lock it
    # creates and drops it, and on Python 3.10 in a Space collecting those loops prints
    # "Exception ignored ... Invalid file descriptor" tracebacks into the Space's log.
    return build(load(args), client_target(args)).queue(default_concurrency_limit=8)


_args = parse_args() if __name__ == "__main__" else parse_args([])
try:
    demo = asyncio.run(page(_args))
except UserError as e:
    exit_with(e)

if __name__ == "__main__":
    demo.launch(server_name=_args.host, server_port=_args.port, share=_args.share)
    sys.exit(0)
