import json

import pytest
import torch

from fashion_gan import hub
from fashion_gan.errors import UserError
from fashion_gan.models import (DCGANDiscriminator, DCGANGenerator, FashionClassifier, MLPConditionalDiscriminator,
                                MLPConditionalGenerator, MLPDiscriminator, MLPGenerator, MinibatchStd, build_pair)


def linear(n_in, n_out):
    return n_in * n_out + n_out


def count(module):
    return sum(p.numel() for p in module.parameters())


def test_chapter_gan_layer_for_layer():
    g, d = MLPGenerator(), MLPDiscriminator()
    assert (g.z_dim, g.num_classes) == (64, 0)
    assert count(g) == linear(64, 256) + linear(256, 256) + linear(256, 784) == 283_920
    assert count(d) == linear(784, 256) + linear(256, 256) + linear(256, 1) == 267_009
    assert [type(m).__name__ for m in g.net] == ["Linear", "ReLU", "Linear", "ReLU", "Linear", "Tanh"]
    assert all(m.negative_slope == 0.2 for m in d.net if isinstance(m, torch.nn.LeakyReLU))
    assert g(torch.randn(5, 64)).shape == (5, 1, 28, 28)
    assert d(torch.zeros(5, 1, 28, 28)).shape == (5,)


def test_chapter_cgan_layer_for_layer():
    g, d = MLPConditionalGenerator(), MLPConditionalDiscriminator()
    assert (g.z_dim, g.num_classes) == (100, 10)
    assert g.net[0].in_features == 110 and tuple(g.label_embedding.weight.shape) == (10, 10)
    assert count(g) == 10 * 10 + linear(110, 256) + linear(256, 512) + linear(512, 1024) + linear(1024, 784) == 1_489_012
    assert count(d) == 10 * 10 + linear(794, 1024) + linear(1024, 512) + linear(512, 256) + linear(256, 1) == 1_470_565
    assert [m.p for m in d.net if isinstance(m, torch.nn.Dropout)] == [0.3, 0.3, 0.3]
    labels = torch.tensor([0, 3, 9])
    out = g(torch.randn(3, 100), labels)
    assert out.shape == (3, 1, 28, 28) and out.abs().max() <= 1
    assert d(out, labels).shape == (3,)


@pytest.mark.parametrize("conditional", [False, True])
def test_dcgan_shapes(conditional):
    g, d = build_pair("dcgan", conditional)
    assert g.num_classes == (10 if conditional else 0)
    labels = torch.arange(4) if conditional else None
    images = g.eval()(torch.randn(4, g.z_dim), labels)
    assert images.shape == (4, 1, 28, 28)
    assert d(images, labels).shape == (4,)


def test_refine_ends_in_a_3x3_convolution_at_full_resolution():
    g = DCGANGenerator(num_classes=0, channels=64, refine=True).eval()
    convs = [m for m in g.upsample if isinstance(m, (torch.nn.Conv2d, torch.nn.ConvTranspose2d))]
    assert [(type(m).__name__, m.out_channels) for m in convs] == [("ConvTranspose2d", 32), ("ConvTranspose2d", 16), ("Conv2d", 1)]
    assert convs[-1].kernel_size == (3, 3) and convs[-1].padding == (1, 1)
    images = g(torch.randn(3, 100))
    assert images.shape == (3, 1, 28, 28) and images.abs().max() <= 1
    plain = DCGANGenerator(num_classes=0, channels=64)
    assert count(g) > count(plain) and isinstance(plain.upsample[-2], torch.nn.ConvTranspose2d)  # no refine: as before


def test_minibatch_std_is_the_spread_of_each_group_and_never_mixes_real_with_fake():
    layer = MinibatchStd(group=4)
    x = torch.randn(8, 3, 2, 2)
    out = layer(x)
    assert out.shape == (8, 4, 2, 2) and torch.equal(out[:, :3], x)
    first = x[:4].std(dim=0, unbiased=False).mean()
    assert torch.allclose(out[:4, 3], first.expand(4, 2, 2), atol=1e-5)
    assert torch.allclose(layer(torch.ones(8, 3, 2, 2))[:, 3], torch.full((8, 2, 2), 1e-4))  # no spread: sqrt(1e-8)
    d = DCGANDiscriminator(num_classes=0, channels=16, minibatch_std=True).eval()
    real, fake = torch.randn(8, 1, 28, 28), torch.randn(8, 1, 28, 28)
    together = d(torch.cat([real, fake]))
    assert torch.allclose(together[:8], d(real), atol=1e-5)  # the training step's real+fake batch: groups stay apart
    assert not torch.allclose(d(torch.cat([real, fake * 3]))[8:], together[8:])  # the fakes' spread is seen


def test_shape_options_are_for_the_dcgan_only():
    g, d = build_pair("dcgan", False, g_channels=64, d_channels=32, refine=True, minibatch_std=True)
    assert (g.channels, g.num_classes, d.num_classes) == (64, 0, 0)
    assert any(isinstance(m, MinibatchStd) for m in d.features)
    with pytest.raises(ValueError, match="dcgan networks only"):
        build_pair("mlp", False, refine=True)


def test_aux_classifier_head_names_classes_and_forward_is_the_judge_logit():
    g, d = build_pair("dcgan", True, aux_classifier=True)
    d.eval()  # in training mode spectral norm refines its estimate at every call
    labels = torch.arange(6) % 10
    images = g.eval()(torch.randn(6, g.z_dim), labels)
    logits, class_logits = d.judge(images, labels)
    assert logits.shape == (6,) and class_logits.shape == (6, 10)
    assert torch.equal(d(images, labels), logits)
    assert build_pair("dcgan", True)[1].judge(images, labels)[1] is None  # no head unless asked
    with pytest.raises(ValueError, match="conditional dcgan"):
        build_pair("mlp", True, aux_classifier=True)


def test_conditional_generator_refuses_missing_labels():
    with pytest.raises(ValueError, match="conditional"):
        DCGANGenerator()(torch.randn(2, 100))


@pytest.mark.parametrize("network", [MLPGenerator(), MLPConditionalGenerator(), DCGANGenerator(), DCGANDiscriminator(),
                                     DCGANGenerator(num_classes=0, channels=64, refine=True),
                                     DCGANDiscriminator(num_classes=0, channels=16, minibatch_std=True), FashionClassifier()])
def test_save_load_round_trip(tmp_path, network):
    torch.manual_seed(0)
    network.eval()
    hub.save_network(network, tmp_path / "net")
    config = json.loads((tmp_path / "net" / "config.json").read_text())
    assert config["architecture"] == type(network).__name__
    assert (tmp_path / "net" / "model.safetensors").stat().st_size > 1000
    loaded = hub.load_network(tmp_path / "net")
    assert type(loaded) is type(network)
    for (name, a), (_, b) in zip(network.state_dict().items(), loaded.state_dict().items()):
        assert torch.equal(a, b), name


def test_keyword_arguments_travel_in_config(tmp_path):
    hub.save_network(DCGANGenerator(z_dim=16, channels=32, num_classes=0), tmp_path / "g")
    loaded = hub.load_network(tmp_path / "g")
    assert (loaded.z_dim, loaded.num_classes, loaded.channels) == (16, 0, 32)


def test_config_weights_mismatch_is_refused(tmp_path):
    hub.save_network(MLPGenerator(hidden=128), tmp_path / "g")
    config_path = tmp_path / "g" / "config.json"
    config = json.loads(config_path.read_text())
    config["hidden"] = 256  # now the weights no longer fit the architecture
    config_path.write_text(json.dumps(config))
    with pytest.raises(UserError, match="model.safetensors"):
        hub.load_network(tmp_path / "g")


def test_missing_and_corrupt_folders_are_named(tmp_path):
    with pytest.raises(UserError, match="no such model folder"):
        hub.load_network(tmp_path / "absent")
    hub.save_network(MLPGenerator(), tmp_path / "g")
    (tmp_path / "g" / "model.safetensors").write_bytes(b"garbage")
    with pytest.raises(UserError, match="model.safetensors"):
        hub.load_network(tmp_path / "g")
    (tmp_path / "g" / "config.json").write_text("{not json")
    with pytest.raises(UserError, match="config.json"):
        hub.load_network(tmp_path / "g")
