"""Seconds from `python app.py` to a page that answers, and the latency of one `generate` call.

    python benchmarks/startup.py [--runs 3] [--calls 50] [--weights weights/cgan] [--json FILE]

Ready means the server answers HTTP; app.py loads the weights and runs one
warm-up call of every handler before it starts listening.
"""

import argparse
import statistics
import sys
import time

import common

sys.path.insert(0, str(common.ROOT / "tests"))
from appserver import running_app  # noqa: E402


def client_floor(calls: int, default_tls: bool) -> float:
    """Median ms of a gradio_client call to a bare Gradio endpoint that returns a constant 28x28 image:
    what the framework and the client cost before any model runs."""
    import gradio as gr
    import numpy as np

    from appserver import free_port

    image = np.zeros((28, 28), np.uint8)
    with gr.Blocks() as bare:
        seed, out = gr.Number(), gr.Image(format="png")
        gr.Button().click(lambda s: image, seed, out, api_name="constant")
    port = free_port()
    bare.queue().launch(server_port=port, prevent_thread_lock=True, quiet=True)
    try:
        client = common.gradio_client(f"http://127.0.0.1:{port}/", default_tls)
        client.predict(0, api_name="/constant")
        times = []
        for i in range(calls):
            started = time.perf_counter()
            client.predict(i, api_name="/constant")
            times.append((time.perf_counter() - started) * 1e3)
        return statistics.median(times)
    finally:
        bare.close()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--calls", type=int, default=50, help="sequential generate calls timed in the last run")
    p.add_argument("--weights", default=str(common.ROOT / "weights" / "cgan"))
    p.add_argument("--default-client", action="store_true",
                   help="gradio_client with its default ssl_verify=True (see common.gradio_client)")
    p.add_argument("--json")
    args = p.parse_args()
    ready, calls = [], []
    for run in range(args.runs):
        with running_app("--weights", args.weights, "--device", "cpu") as (url, seconds):
            ready.append(seconds)
            if run == args.runs - 1:
                client = common.gradio_client(url, args.default_client)
                client.predict("Sneaker", 0, api_name="/generate")
                for seed in range(args.calls):
                    started = time.perf_counter()
                    client.predict("Sneaker", seed, api_name="/generate")
                    calls.append((time.perf_counter() - started) * 1e3)
    result = dict(ready_seconds=ready, ready_median_s=statistics.median(ready),
                  generate_median_ms=statistics.median(calls), generate_max_ms=max(calls),
                  bare_gradio_image_endpoint_median_ms=client_floor(args.calls, args.default_client),
                  client=common.client_label(args.default_client))
    print(f"Start-up of app.py ({args.runs} runs) and sequential generate calls via gradio_client "
          f"({args.calls} calls, client {result['client']})")
    print(f"machine: {common.machine()}\n")
    common.print_table(["ready, median s", "ready, each run s", "generate median ms", "generate max ms",
                        "bare Gradio image endpoint, median ms"],
                       [[result["ready_median_s"], ", ".join(f"{s:.1f}" for s in ready),
                         result["generate_median_ms"], result["generate_max_ms"],
                         result["bare_gradio_image_endpoint_median_ms"]]])
    common.write_json(args.json, result)


if __name__ == "__main__":
    main()
