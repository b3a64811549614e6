#!/usr/bin/env bash
# One entry point for a fresh Debian/Ubuntu machine with python3:
#   ./dev.sh demo [app.py flags]   set up .venv and open the demo with the shipped weights
#   ./dev.sh test [pytest flags]   set up .venv (+ test tools, dataset, Chromium, web/node_modules) and run every test
#   ./dev.sh web [PORT]            build the static site (the generators in the browser) and serve it on localhost
set -euo pipefail
cd "$(dirname "$0")"

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else return 1
  fi
}

apt_install() {  # best effort: a machine without apt or root keeps going without these packages
  command -v apt-get >/dev/null || return 0
  if [ ! -f /tmp/.fashion-gan-apt-updated ]; then as_root apt-get update -qq && touch /tmp/.fashion-gan-apt-updated || true; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null || echo "note: could not install $* (no root?)" >&2
}

venv() {  # $@: requirement files
  if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then apt_install python3-venv; fi
  [ -x .venv/bin/python ] || python3 -m venv .venv
  local stamp=".venv/.installed-$(cat "$@" | sha1sum | cut -c1-12)"
  if [ ! -f "$stamp" ]; then
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q $(printf -- '-r %s ' "$@")
    touch "$stamp"
  fi
}

space_python() {  # the Python a ZeroGPU Space runs (fashion_gan/space.py: PYTHON_VERSION), if this machine has it
  local want
  want=$(sed -n 's/^PYTHON_VERSION = "\([0-9]*\.[0-9]*\).*/\1/p' fashion_gan/space.py)
  for candidate in "$(command -v "python$want" || true)" "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$want".*/bin/python"$want"; do
    if [ -x "$candidate" ] && "$candidate" -c "" 2>/dev/null; then echo "$candidate"; return; fi  # pyenv shims may not run
  done
}

space_venv() {  # .venv-space: exactly what the Space installs (its requirements.txt and gradio), for the bundle tests
  local python wanted stamp
  python=$(space_python)
  if [ -z "$python" ]; then echo "note: no Python $(sed -n 's/^PYTHON_VERSION = "\(.*\)"/\1/p' fashion_gan/space.py) here: the Space bundle tests will skip" >&2; return 0; fi
  wanted=$(mktemp)
  # the lines `python -m fashion_gan.space build` writes into the Space's requirements.txt, and its gradio
  .venv/bin/python -c 'from fashion_gan.space import GRADIO_VERSION, REQUIREMENTS
print(*REQUIREMENTS, f"gradio=={GRADIO_VERSION}", sep="\n")' > "$wanted"
  stamp=".venv-space/.installed-$(cat "$wanted" fashion_gan/space.py | sha1sum | cut -c1-12)"
  if [ ! -f "$stamp" ]; then
    rm -rf .venv-space
    "$python" -m venv .venv-space
    .venv-space/bin/python -m pip install -q --upgrade pip
    .venv-space/bin/python -m pip install -q -r "$wanted"
    touch "$stamp"
  fi
  rm -f "$wanted"
}

web_modules() {  # onnxruntime-web for the static site, exactly as web/package-lock.json pins it
  if ! command -v npm >/dev/null; then
    echo "note: no node/npm here (apt-get install nodejs npm): the static site's build and its tests will skip" >&2
    return 0
  fi
  local stamp="web/node_modules/.installed-$(sha1sum web/package-lock.json | cut -c1-12)"
  if [ ! -f "$stamp" ]; then
    npm ci --prefix web --no-audit --no-fund --loglevel=error
    touch "$stamp"
  fi
}

case "${1:-}" in
  demo)
    shift
    venv requirements.txt
    exec .venv/bin/python app.py "$@"
    ;;
  web)
    venv requirements.txt
    web_modules
    rm -rf runs/site
    .venv/bin/python -m fashion_gan.web build runs/site
    echo "open http://127.0.0.1:${2:-8000}/ (Ctrl-C stops the server)"
    exec .venv/bin/python -m http.server --bind 127.0.0.1 --directory runs/site "${2:-8000}"
    ;;
  test)
    shift
    venv requirements.txt requirements-dev.txt
    space_venv
    web_modules
    [ -d /usr/share/datasets/fashion-mnist ] || [ -n "${FASHION_MNIST_DIR:-}" ] || apt_install dataset-fashion-mnist
    command -v chromium >/dev/null || apt_install chromium
    .venv/bin/ruff check --quiet .
    exec .venv/bin/python -m pytest "$@"
    ;;
  *)
    echo "usage: ./dev.sh demo [app flags] | ./dev.sh test [pytest flags] | ./dev.sh web [port]" >&2
    exit 2
    ;;
esac
