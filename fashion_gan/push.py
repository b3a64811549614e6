"""Upload exported model folders to the Hugging Face Hub.

    python -m fashion_gan.push runs/latest/cgan USER/REPO [--private]

This is also the way to retry a push that failed at the end of train.py: the
export on disk is complete before any upload starts.
"""

import argparse
import sys
from pathlib import Path

from .errors import UserError, exit_with


def require_token(token: str | None = None) -> str:
    """The token to push with, or a UserError before any work starts."""
    from huggingface_hub import get_token

    token = token or get_token()
    if not token:
        raise UserError("no Hugging Face token: run `hf auth login`, set HF_TOKEN, or pass --hub-token")
    return token


def push_folder(folder: Path, repo_id: str, token: str, private: bool = False) -> str:
    """Create `repo_id` if needed and upload `folder` without its training/ state; returns the repo URL."""
    from huggingface_hub import HfApi

    if not (folder / "config.json").is_file():
        raise UserError(f"{folder}: not an exported model folder (no config.json)")
    api = HfApi(token=token)
    url = api.create_repo(repo_id, private=private, exist_ok=True)
    api.upload_folder(folder_path=str(folder), repo_id=repo_id, ignore_patterns=["training/*"],
                      commit_message="Upload from fashion-gan")
    return str(url)


def push_exports(out: Path, models: list[str], repo_id: str, token: str, private: bool = False) -> None:
    """train.py's --push-to-hub: one model goes to repo_id, both go to repo_id-gan and repo_id-cgan."""
    for model in models:
        target = repo_id if len(models) == 1 else f"{repo_id}-{model}"
        try:
            print(f"pushed {out / model} to {push_folder(out / model, target, token, private)}")
        except UserError as e:
            exit_with(e)
        except Exception as e:  # network, permissions, rate limits: the local export is safe either way
            print(f"error: push of {out / model} to {target} failed ({type(e).__name__}: {str(e)[:200]}); "
                  f"the export is kept; retry with: python -m fashion_gan.push {out / model} {target}", file=sys.stderr)
            raise SystemExit(1)


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("folder", type=Path, help="an exported model folder, e.g. runs/latest/cgan")
    p.add_argument("repo_id", help="USER/REPO on the Hugging Face Hub")
    p.add_argument("--private", action="store_true")
    p.add_argument("--token", help="default: the one `hf auth login` saved")
    args = p.parse_args(argv)
    try:
        token = require_token(args.token)
    except UserError as e:
        exit_with(e)
    push_exports(args.folder.parent, [args.folder.name], args.repo_id, token, args.private)


if __name__ == "__main__":
    main()
