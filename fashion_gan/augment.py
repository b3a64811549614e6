"""DiffAugment (Zhao et al. 2020): differentiable augmentations for every image D sees.

D sees real and fake images augmented the same way, in both the D step and the
G step, and the augmentations are differentiable, so G's gradient flows back
through them. D then cannot memorise the training set's exact pixels, and G is
not pushed to reproduce the augmentations (they are applied to both sides).

The original fills with 0 in its [-1, 1] images (mid grey); Fashion-MNIST's
background is black (-1), so translation and cutout fill with -1 here: shifted
and cut images stay garments on a black background.
"""

import torch
import torch.nn.functional as F

BACKGROUND = -1.0
POLICIES = ("translation", "cutout")


def translation(x: torch.Tensor, ratio: float = 0.125) -> torch.Tensor:
    """Shift each image by up to ratio * size pixels (4 for 28x28, rounded as in the original) in x and y, filling with background."""
    b, c, h, w = x.shape
    sh, sw = int(h * ratio + 0.5), int(w * ratio + 0.5)
    ty = torch.randint(-sh, sh + 1, (b, 1, 1), device=x.device)
    tx = torch.randint(-sw, sw + 1, (b, 1, 1), device=x.device)
    rows = torch.arange(h, device=x.device).view(1, h, 1)
    cols = torch.arange(w, device=x.device).view(1, 1, w)
    # Read pixel (row + ty, col + tx) of the image padded by `sh`/`sw` on each side: out of range lands in the padding.
    padded = F.pad(x, [sw, sw, sh, sh], value=BACKGROUND)  # (B, C, H + 2sh, W + 2sw)
    index = (rows + ty + sh) * (w + 2 * sw) + (cols + tx + sw)  # (B, H, W) flat positions in the padded image
    flat = padded.flatten(2)  # (B, C, (H + 2sh) * (W + 2sw))
    return flat.gather(2, index.flatten(1).unsqueeze(1).expand(b, c, -1)).view(b, c, h, w)


def cutout(x: torch.Tensor, ratio: float = 0.5) -> torch.Tensor:
    """Blank one square of side ratio * size (14 for 28x28) per image, at a random place, to background."""
    b, _, h, w = x.shape
    ch, cw = int(h * ratio + 0.5), int(w * ratio + 0.5)
    cy = torch.randint(0, h + (1 - ch % 2), (b, 1, 1), device=x.device)  # centres, as in the original
    cx = torch.randint(0, w + (1 - cw % 2), (b, 1, 1), device=x.device)
    rows = torch.arange(h, device=x.device).view(1, h, 1)
    cols = torch.arange(w, device=x.device).view(1, 1, w)
    dy, dx = rows - cy + ch // 2, cols - cx + cw // 2  # (B, H, 1), (B, 1, W): offsets into the square
    inside = (dy >= 0) & (dy < ch) & (dx >= 0) & (dx < cw)  # (B, H, W)
    return torch.where(inside.unsqueeze(1), torch.full_like(x, BACKGROUND), x)  # (B, 1, H, W) mask over C


def diff_augment(x: torch.Tensor, policy: str) -> torch.Tensor:
    """Apply the comma-separated `policy` ("translation,cutout"; "" = none) to a batch (B, C, H, W)."""
    for name in filter(None, policy.split(",")):
        x = {"translation": translation, "cutout": cutout}[name](x)
    return x


def check_policy(policy: str) -> str:
    """The policy if every name in it is known; ValueError otherwise."""
    unknown = [n for n in filter(None, policy.split(",")) if n not in POLICIES]
    if unknown:
        raise ValueError(f"unknown augmentation {', '.join(unknown)}; use a comma-separated list of {', '.join(POLICIES)}")
    return policy
