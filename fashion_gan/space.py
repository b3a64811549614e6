"""Host the demo as a Hugging Face Space: build the folder a Space gets, or deploy it in one command.

    python -m fashion_gan.space build DIR [--static]
    python -m fashion_gan.space deploy USER/SPACE [--static | --hardware zero-a10g|cpu-basic] [--private] [--token T]

A Space is a repository the Hub builds and runs: app.py at its root, the
packages of requirements.txt on top of the gradio that README.md's front matter
names, and whatever files the app reads. `build` writes exactly that tree from
this checkout (BUNDLE says what goes in); `deploy` builds it in a temporary
folder and uploads it through the Hub's HTTP API, which stores the binary
weights in Xet/LFS by itself: no git or git-lfs on your machine. `git push` of
this repository itself is refused by the Hub (its weights are plain git blobs).

Hardware: a free account gets ZeroGPU Spaces (`zero-a10g`, the default here);
Gradio Spaces on the free `cpu-basic` hardware need a paid plan. The same
app.py runs on both (see fashion_gan/zerogpu.py).

--static makes a Static Space instead: the site of `python -m fashion_gan.web build`
(the generators run in the visitor's browser), free for every account, and it never sleeps.
"""

import argparse
import gzip
import shutil
import sys
import tempfile
from pathlib import Path

from . import hub
from .copying import Neighbours
from .data import HOW_TO_GET, SPLIT_FILES, find_file, load_split, search_dirs
from .errors import UserError, exit_with
from .files import new_folder
from .models import FashionClassifier

ROOT = Path(__file__).resolve().parent.parent

# What a Space receives from this checkout, as glob patterns of files. The three
# generated files (README.md, requirements.txt, .gitattributes) are added by `build`.
BUNDLE = (
    "app.py",
    "fashion_gan/*.py",
    "fashion_gan/*.js",  # the page's translation of what the server writes (words.py)
    "fashion_gan/garments/*",  # Find it's real test images
    "weights/cgan/*",  # the generators the app serves
    "weights/gan/*",
    "weights/chapter_cgan/*",
    "weights/*/training/*",  # their runs' records, for the Training tab
    "weights/*/training/grids/*",
    "weights/*/encoder/*",  # Find it's first guesses (fashion_gan.encoder)
    "weights/classifier/*",  # Is it copying?'s feature distance
)
# Is it copying? compares pictures with the training images (and the test images, for scale): the
# dataset's four files as this machine has them (gzipped IDX, 30 MB), into the bundle's data/, with
# their features in the classifier's space (fashion_gan.copying.Neighbours, float16).
DATA_FILES = tuple(name for pair in SPLIT_FILES.values() for name in pair)

# ZeroGPU runs Python 3.10.13 and torch 2.1.0 to 2.8.0 (huggingface.co/docs/hub/spaces-zerogpu,
# "Supported versions"); the tests boot the bundle on exactly these (dev.sh builds .venv-space from
# this list). gradio comes from sdk_version; spaces is preinstalled on Spaces, pinned here so that
# what the tests ran is what runs there.
PYTHON_VERSION = "3.10.13"
GRADIO_VERSION = "6.31.0"
REQUIREMENTS = (
    "torch==2.8.0",
    "numpy>=1.26",
    "pillow>=10",
    "safetensors>=0.4",
    "huggingface_hub>=1.0",
    "spaces==0.51.3",
    "mcp>=1.21.0,<2.0.0",  # gradio[mcp]'s extra: on a Space, app.py serves its API names as MCP tools too
)
HARDWARE = {  # --hardware -> what it costs a personal account
    "zero-a10g": "ZeroGPU: free accounts can host it (a GPU is lent per call, within a daily quota)",
    "cpu-basic": "2 vCPU, 16 GB: free hardware, but a Gradio Space on it needs a paid plan (PRO)",
}
SHORT_DESCRIPTION = "Fashion-MNIST GAN and cGAN: generate, interpolate, explore"
STATIC_DESCRIPTION = "Fashion-MNIST GANs running live in your browser"
CARD = "title: fashion-gan\nemoji: 👕\ncolorFrom: gray\ncolorTo: indigo"  # both Spaces' front matter starts so


def space_readme() -> str:
    """The Space's README.md: front matter (its configuration) and a page with no broken links."""
    return f"""---
{CARD}
sdk: gradio
sdk_version: {GRADIO_VERSION}
python_version: "{PYTHON_VERSION}"
app_file: app.py
short_description: {SHORT_DESCRIPTION}
license: mit
pinned: false
---

# fashion-gan

A class-conditional GAN trained on Fashion-MNIST: pick a class and a seed, walk
the latent space between seeds, morph one garment into another class. The same
seed always gives the same picture, and each view shows the command and the
`gradio_client` call that reproduce it.

The generator is a small DCGAN (`weights/cgan`, its card in
`weights/cgan/README.md`); the unconditional GAN is in `weights/gan`, and the
textbook chapter's MLP cGAN, which Generate and Interpolate can show beside ours,
in `weights/chapter_cgan`. The Training tab plays each one's own training run,
epoch by epoch. Find it takes a visitor's own garment (uploaded or drawn), finds
the latent whose picture is closest, and shows the training images nearest it
(Fashion-MNIST's files are in `data/`, for that check).

![samples: one row per class](weights/cgan/samples.png)
"""


def static_readme() -> str:
    """The Static Space's README.md: front matter (sdk: static, index.html) and a short page."""
    return f"""---
{CARD}
sdk: static
app_file: index.html
short_description: {STATIC_DESCRIPTION}
license: mit
pinned: false
---

# fashion-gan, in the browser

A class-conditional GAN and an unconditional GAN trained on Fashion-MNIST, exported
to ONNX and run on the visitor's own device by onnxruntime-web (WebAssembly): scrub
seeds, interpolate, walk, hover the seed map, slide along principal directions. The
same seed gives the same picture as the project's Python code.
"""


def lfs_attributes(*extensions: str) -> str:
    return "".join(f"*.{ext} filter=lfs diff=lfs merge=lfs -text\n" for ext in extensions)


GITATTRIBUTES = lfs_attributes("safetensors", "png", "gif")
STATIC_GITATTRIBUTES = lfs_attributes("onnx", "wasm")


def bundle_files() -> list[Path]:
    """The checkout's files that go into the Space, relative to ROOT, sorted."""
    files = set()
    for pattern in BUNDLE:
        matched = [p for p in ROOT.glob(pattern) if p.is_file()]
        if not matched:
            raise UserError(f"{ROOT / pattern}: nothing there; a Space needs it (run from a full checkout)")
        files.update(p.relative_to(ROOT) for p in matched)
    return sorted(files)


def build(out: Path, static: bool = False) -> list[Path]:
    """Write the Space's tree into `out` (created; must be empty or absent); returns its files, relative.

    static: the Static Space, the site that fashion_gan.web builds, with its own README.md.
    """
    if static:
        from . import web

        return web.build(out, extra={"README.md": static_readme(), ".gitattributes": STATIC_GITATTRIBUTES})
    files = bundle_files()
    data = [find_file(name, search_dirs()) for name in DATA_FILES]
    if None in data:
        raise UserError(f"the Space's Is it copying? needs Fashion-MNIST here to copy into it: {HOW_TO_GET}")
    with new_folder(out) as tmp:
        for rel in files:
            (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, tmp / rel)
        (tmp / "data").mkdir()
        for path in data:
            if path.suffix == ".gz":
                shutil.copy2(path, tmp / "data" / path.name)
            else:  # compressed on the way: the Space's download is a third of the raw files
                with open(path, "rb") as raw, gzip.open(tmp / "data" / f"{path.name}.gz", "wb") as packed:
                    shutil.copyfileobj(raw, packed)
        # Their features in the classifier's space, made here once: the Space's first Is it copying? is quick
        classifier = ROOT / "weights" / "classifier"
        Neighbours(*load_split("train", tmp / "data", download=False), *load_split("test", tmp / "data", download=False),
                   hub.load_network(classifier, expect=FashionClassifier), classifier / "model.safetensors",
                   [tmp / "data"])
        (tmp / "README.md").write_text(space_readme())
        (tmp / "requirements.txt").write_text(
            "# Installed by the Space on top of gradio (sdk_version in README.md).\n" + "\n".join(REQUIREMENTS) + "\n")
        (tmp / ".gitattributes").write_text(GITATTRIBUTES)
    return sorted(p.relative_to(out) for p in Path(out).rglob("*") if p.is_file())


def check_repo_id(repo_id: str) -> str:
    parts = repo_id.split("/")
    if len(parts) != 2 or not all(parts) or any(c in repo_id for c in " \\:") or repo_id.startswith("."):
        raise UserError(f"{repo_id!r} is not a Space id; give USER/SPACE, e.g. yourname/fashion-gan")
    return repo_id


class HubUnreachable(Exception):
    """No answer from the Hub, or a server error there: nothing to fix in the command; try again later."""


def deploy(repo_id: str, hardware: str | None, private: bool, token: str | None, static: bool = False) -> str:
    """Build the bundle in a temporary folder and upload it; returns the Space's URL.

    hardware: None for a Static Space (it runs in the visitor's browser and needs none).
    """
    from huggingface_hub import HfApi, get_token
    from huggingface_hub.errors import HfHubHTTPError

    check_repo_id(repo_id)
    token = token or get_token()
    if not token:
        raise UserError("no Hugging Face token: run `hf auth login` (a token with write access), set HF_TOKEN, or pass --token")
    api = HfApi(token=token)
    # Who we are first: a refused token or a wrong account is said before the bundle is built.
    # The build comes before create_repo: a bundle that cannot be built leaves no empty Space behind.
    with tempfile.TemporaryDirectory(prefix="fashion-gan-space-") as tmp:
        try:
            user = api.whoami()
            namespace = repo_id.split("/")[0]
            if namespace != user["name"] and namespace not in {org["name"] for org in user.get("orgs", [])}:
                raise UserError(f"{namespace!r} is not your account ({user['name']}) or one of your organisations; "
                                f"deploy to {user['name']}/{repo_id.split('/')[1]}")
            folder = Path(tmp) / "space"
            build(folder, static)
            hardware_option = {} if static else {"space_hardware": hardware}
            url = api.create_repo(repo_id, repo_type="space", space_sdk="static" if static else "gradio",
                                  private=private, exist_ok=True, **hardware_option)
            # delete_patterns: a file removed from the bundle is removed from the Space too.
            api.upload_folder(folder_path=str(folder), repo_id=repo_id, repo_type="space", delete_patterns="*",
                              commit_message="Deploy fashion-gan")
        except HfHubHTTPError as e:
            status = getattr(e.response, "status_code", None)
            if status is None or status >= 500:
                raise HubUnreachable(f"the Hub answered {status}") from None
            raise UserError(explain(status, e, repo_id, hardware, static)) from None
    return str(url)


def explain(status: int, error: Exception, repo_id: str, hardware: str | None, static: bool = False) -> str:
    """One line for a 4xx answer of the Hub, saying what to do about it."""
    if status == 401:
        return "the Hub refused the token (401): log in again with `hf auth login`"
    if status == 403:
        return f"the token may not write to {repo_id} (403): create a token with write access at huggingface.co/settings/tokens"
    if status == 402:
        if hardware == "cpu-basic":
            return ("Gradio Spaces on the free cpu-basic hardware need a paid plan (402); "
                    "a free account gets ZeroGPU: deploy again with --hardware zero-a10g")
        return f"the Hub asks for a paid plan or billing for {hardware or 'this Space'} (402): see huggingface.co/pricing"
    if status == 409:
        return f"{repo_id} exists and is not a {'Static' if static else 'Gradio'} Space (409): choose another name"
    first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return f"the Hub answered {status}: {first_line[:200]}"


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = p.add_subparsers(dest="command", required=True)
    b = commands.add_parser("build", help="write the Space's files into DIR")
    b.add_argument("dir", type=Path)
    static_help = "a Static Space: the generators run in the visitor's browser (free for everyone, never sleeps)"
    b.add_argument("--static", action="store_true", help=static_help)
    d = commands.add_parser("deploy", help="build and upload to USER/SPACE on the Hugging Face Hub")
    d.add_argument("repo_id", metavar="USER/SPACE")
    kind = d.add_mutually_exclusive_group()
    kind.add_argument("--hardware", choices=tuple(HARDWARE), help="for a Gradio Space (default zero-a10g); "
                      + "; ".join(f"{k}: {v}" for k, v in HARDWARE.items()))
    kind.add_argument("--static", action="store_true", help=static_help)
    d.add_argument("--private", action="store_true")
    d.add_argument("--token", help="default: the one `hf auth login` saved, or HF_TOKEN")
    args = p.parse_args(argv)
    if args.command == "build":
        try:
            files = build(args.dir, args.static)
        except UserError as e:
            exit_with(e)
        size = sum((args.dir / f).stat().st_size for f in files) / 1e6
        print(f"wrote the {'Static ' if args.static else ''}Space ({len(files)} files, {size:.1f} MB) to {args.dir}")
        return
    hardware = None if args.static else args.hardware or "zero-a10g"
    try:
        url = deploy(args.repo_id, hardware, args.private, args.token, args.static)
    except UserError as e:
        exit_with(e)
    except Exception as e:  # no network, DNS, timeouts, a 5xx: nothing to fix in the command, so try again
        kind = " --static" if args.static else f" --hardware {hardware}"
        retry = f"python -m fashion_gan.space deploy {args.repo_id}{kind}" + " --private" * args.private
        reason = str(e) if isinstance(e, HubUnreachable) else type(e).__name__
        print(f"error: cannot reach the Hugging Face Hub ({reason}); check your connection and retry: {retry}",
              file=sys.stderr)
        raise SystemExit(1)
    space = url.rstrip("/").split("/spaces/")[-1]
    print(f"deployed: {url}\nwatch it build: https://huggingface.co/spaces/{space}?logs=build")


if __name__ == "__main__":
    main()
