"""Start the real app.py on a free localhost port for server and browser tests."""

import os
import socket
import subprocess
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from conftest import PYTHON, ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(command, *, port: int, cwd=ROOT, env=None, timeout: float = 90):
    """Yield (url, seconds to ready, log path) for a server started by `command` on 127.0.0.1:port; stop it after."""
    url = f"http://127.0.0.1:{port}/"
    env = {"GRADIO_ANALYTICS_ENABLED": "False", "PYTHONUNBUFFERED": "1", **(os.environ if env is None else env)}
    log = Path(tempfile.mkstemp(prefix="app-", suffix=".log")[1])
    started = time.perf_counter()
    with open(log, "w") as out:
        proc = subprocess.Popen([str(c) for c in command], cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, text=True)
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"{command[1]} exited with {proc.returncode}: {log.read_text()}")
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError:
                if time.perf_counter() - started > timeout:
                    raise TimeoutError(f"{command[1]} not ready after {timeout} s: {log.read_text()[-2000:]}")
                time.sleep(0.1)
        yield url, time.perf_counter() - started, log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextmanager
def running_app(*args, timeout: float = 90):
    """Yield (url, seconds to ready) for `python app.py ARGS --port FREE` from the repository."""
    port = free_port()
    with serving([PYTHON, ROOT / "app.py", "--port", port, *args], port=port, timeout=timeout) as (url, seconds, _):
        yield url, seconds
