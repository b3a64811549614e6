"""The weights in weights/: they load, they are small, their cards are complete, the demo serves them."""

import numpy as np
import pytest
import torch
from gradio_client import Client
from PIL import Image

from appserver import running_app
from conftest import ROOT
from fashion_gan import hub, metrics, sampling
from fashion_gan.models import FashionClassifier, Generator

WEIGHTS = ROOT / "weights"
pytestmark = pytest.mark.slow


@pytest.mark.parametrize("name, kind, classes", [("cgan", Generator, 10), ("gan", Generator, 0), ("chapter_cgan", Generator, 10),
                                                 ("classifier", FashionClassifier, None)])
def test_shipped_folders_load_and_are_small(name, kind, classes):
    folder = WEIGHTS / name
    network = hub.load_network(folder, expect=kind)
    if classes is not None:
        assert network.num_classes == classes
    assert (folder / "model.safetensors").stat().st_size < 20 * 2**20
    assert not (folder / "discriminator").exists()
    # training/: the run's record for the Training tab only (tests/test_timelapse.py), never its checkpoint
    assert {p.name for p in (folder / "training").glob("*")} <= {"grids", "log.txt", "quality.json"}
    card = (folder / "README.md").read_text()
    assert card.startswith("---\nlibrary_name: fashion-gan\n") and "datasets:" in card
    assert "python " in card  # the command that made it
    if name != "classifier":
        assert "## Evaluation" in card and "FID" in card and (folder / "samples.png").is_file()


def test_shipped_cgan_makes_what_is_asked_for():
    generator = hub.load_network(WEIGHTS / "cgan")
    classifier = hub.load_network(WEIGHTS / "classifier")
    labels = np.arange(200) % 10
    images = sampling.generate(generator, range(200), labels)
    _, predicted = metrics.classify(classifier, images)
    assert (predicted == labels).mean() >= 0.97  # 0.985 on 10,000 samples


def test_the_demo_serves_the_shipped_weights():
    with running_app("--device", "cpu") as (url, seconds):
        client = Client(url, verbose=False)
        first = np.array(Image.open(client.predict("Sneaker", 42, api_name="/generate")))
        again = np.array(Image.open(client.predict("Sneaker", 42, api_name="/generate")))
        assert np.array_equal(first, again) and first.std() > 10  # a picture, not a flat field
        assert np.array(Image.open(client.predict(0, api_name="/gan"))).std() > 10
    assert seconds < 60


def test_shipped_gan_opens_on_a_garment_the_classifier_names():
    import app

    generator = hub.load_network(WEIGHTS / "gan")
    classifier = hub.load_network(WEIGHTS / "classifier", expect=FashionClassifier)
    image = sampling.generate(generator, [app.DEFAULT_GAN_SEED])
    x = torch.tensor(image).float().div(127.5).sub(1).unsqueeze(1)
    with torch.no_grad():
        confidence = classifier(x).softmax(dim=1).max().item()
    assert confidence >= 0.9


def test_shipped_gan_quality_at_2000_samples():
    from fashion_gan.evaluate import evaluate

    g = evaluate(WEIGHTS / "gan", count=2000, with_floor=False)["generator"]
    assert g["fid"] < 28 and g["recall"] >= 0.6  # 21.6 and 0.74 at 2,000 samples (24.7 and 0.64 at 10,000)
