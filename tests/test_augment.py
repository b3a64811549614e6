import pytest
import torch

from fashion_gan.augment import BACKGROUND, check_policy, cutout, diff_augment, translation


def bright_square(n: int = 64) -> torch.Tensor:
    """n black images with one white 6x6 square in the middle: easy to follow under shifts."""
    x = torch.full((n, 1, 28, 28), BACKGROUND)
    x[:, :, 11:17, 11:17] = 1.0
    return x


def test_translation_shifts_each_image_by_at_most_four_pixels_and_fills_black():
    torch.manual_seed(0)
    x = bright_square()
    y = translation(x)
    assert y.shape == x.shape
    assert set(y.unique().tolist()) == {BACKGROUND, 1.0}  # moved, never blended or filled grey
    assert torch.all((y == 1).sum(dim=(1, 2, 3)) == 36)  # the square is whole: 4 px from an 11 px margin
    rows = (y[:, 0] == 1).any(dim=2).float().argmax(dim=1) - 11  # first white row, relative to the original
    cols = (y[:, 0] == 1).any(dim=1).float().argmax(dim=1) - 11
    assert rows.abs().max() == 4 and cols.abs().max() == 4
    assert len(set(zip(rows.tolist(), cols.tolist()))) > 10  # each image gets its own shift


def test_translation_at_the_border_brings_in_background():
    torch.manual_seed(1)
    x = torch.ones(32, 1, 28, 28)
    y = translation(x)
    shifted = (y == BACKGROUND).flatten(1).any(dim=1)
    assert shifted.sum() > 20 and torch.all((y == BACKGROUND) | (y == 1))


def test_cutout_blanks_one_square_of_at_most_14_by_14():
    torch.manual_seed(0)
    x = torch.ones(64, 1, 28, 28)
    y = cutout(x)
    blank = (y == BACKGROUND)[:, 0]
    counts = blank.sum(dim=(1, 2))
    assert counts.max() == 14 * 14 and counts.min() > 0  # whole squares inside, clipped ones at the edges
    for mask in blank:  # one axis-aligned rectangle per image
        rows, cols = mask.any(dim=1).nonzero().flatten(), mask.any(dim=0).nonzero().flatten()
        assert mask.sum() == len(rows) * len(cols) and rows.max() - rows.min() + 1 == len(rows)


def test_augmentations_pass_gradients_to_the_generator():
    z = torch.randn(8, 1, 28, 28, requires_grad=True)
    diff_augment(z, "translation,cutout").square().sum().backward()
    assert z.grad is not None and z.grad.abs().sum() > 0


def test_empty_policy_is_the_identity_and_unknown_names_are_refused():
    x = torch.randn(4, 1, 28, 28)
    assert diff_augment(x, "") is x
    assert check_policy("translation,cutout") == "translation,cutout"
    with pytest.raises(ValueError, match="unknown augmentation color"):
        check_policy("translation,color")
