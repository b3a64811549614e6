"""The demo under load: the real app.py on localhost, concurrent gradio_client clients.

    python benchmarks/demo_load.py [--clients 16] [--requests 50] [--weights weights/cgan] [--json FILE]

Each client (a process of its own) sends its requests one after another,
mixing `generate` (3 of 4) and `interpolate` (1 of 4, 8 steps). Bounded:
clients x requests calls, a deadline of --max-seconds, localhost only.
The clients share the machine with the server, so what they spend on
themselves shows in the latencies: see common.gradio_client and
--default-client.
"""

import argparse
import multiprocessing
import statistics
import sys
import time

import common

sys.path.insert(0, str(common.ROOT / "tests"))
from appserver import running_app  # noqa: E402


def percentile(values, q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def client_loop(url: str, index: int, requests: int, deadline: float, default_tls: bool) -> tuple[list, list]:
    """One client's session in its own process, so 16 clients do not share one GIL."""
    latencies, errors = [], []
    client = common.gradio_client(url, default_tls)
    for r in range(requests):
        if time.time() > deadline:
            errors.append("deadline")
            break
        started = time.perf_counter()
        try:
            if r % 4 == 3:
                client.predict("Dress", index, index + r, 8, "slerp", api_name="/interpolate")
            else:
                client.predict("Sneaker", index * 1000 + r, api_name="/generate")
            latencies.append(time.perf_counter() - started)
        except Exception as e:  # counted, not raised: the point is to see how many
            errors.append(f"{type(e).__name__}: {e}")
    return latencies, errors


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--clients", type=int, default=16)
    p.add_argument("--requests", type=int, default=50, help="per client")
    p.add_argument("--weights", default=str(common.ROOT / "weights" / "cgan"))
    p.add_argument("--max-seconds", type=float, default=300)
    p.add_argument("--default-client", action="store_true",
                   help="gradio_client with its default ssl_verify=True (see common.gradio_client)")
    p.add_argument("--json")
    args = p.parse_args()
    latencies, errors = [], []
    with running_app("--weights", args.weights, "--device", "cpu") as (url, ready), \
            multiprocessing.get_context("spawn").Pool(args.clients) as pool:
        pool.map(time.sleep, [0.1] * args.clients)  # start every client process before the clock starts
        deadline = time.time() + args.max_seconds
        started = time.perf_counter()
        sessions = [(url, i, args.requests, deadline, args.default_client) for i in range(args.clients)]
        for lat, err in pool.starmap(client_loop, sessions):
            latencies += lat
            errors += err
        wall = time.perf_counter() - started
    ms = [x * 1e3 for x in latencies]
    summary = dict(client=common.client_label(args.default_client), clients=args.clients,
                   requests=args.clients * args.requests, completed=len(latencies),
                   errors=len(errors), seconds=wall, throughput_per_s=len(latencies) / wall,
                   p50_ms=percentile(ms, 50), p95_ms=percentile(ms, 95), p99_ms=percentile(ms, 99),
                   mean_ms=statistics.mean(ms) if ms else float("nan"))
    print(f"Demo under load: {args.clients} clients x {args.requests} requests (3/4 generate, 1/4 interpolate), "
          f"localhost, client {summary['client']}")
    print(f"machine: {common.machine()}\n")
    common.print_table(["requests", "errors", "seconds", "req/s", "p50 ms", "p95 ms", "p99 ms"],
                       [[summary["requests"], summary["errors"], wall, summary["throughput_per_s"],
                         summary["p50_ms"], summary["p95_ms"], summary["p99_ms"]]])
    for e in errors[:5]:
        print("  error:", e)
    common.write_json(args.json, summary)


if __name__ == "__main__":
    main()
