"""The networks: the chapter's MLPs, convolutional DCGANs beside them, and the scoring classifier.

Every network is a plain nn.Module whose keyword arguments are its whole
architecture. PyTorchModelHubMixin records those arguments in config.json next
to model.safetensors, so `fashion_gan.hub.load_network` can rebuild any of them.

Activations work in place (inplace=True): the same function, less memory
traffic, which is most of an MLP's time outside its matrix products.

Discriminators return a logit, not a probability: training applies
BCEWithLogitsLoss, which is Sigmoid + BCELoss fused into one numerically stable
expression (no log(0) when D is very sure).
"""

import math

import torch
from huggingface_hub import PyTorchModelHubMixin
from torch import nn

IMAGE_PIXELS = 28 * 28


class HubModule(
    nn.Module,
    PyTorchModelHubMixin,
    library_name="fashion-gan",
    tags=["gan", "fashion-mnist", "pytorch"],
    license="mit",
):
    """Base of every network here: an nn.Module that saves as config.json + model.safetensors."""


class Generator(HubModule):
    """What every generator offers: z_dim, num_classes (0 = unconditional) and embedding-level control."""

    z_dim: int
    num_classes: int

    def embed(self, labels: torch.Tensor) -> torch.Tensor | None:
        """Class indices (B,) -> label vectors (B, E); None for an unconditional generator."""
        if not self.num_classes:
            return None
        return self.label_embedding(labels)

    def forward(self, z: torch.Tensor, labels: torch.Tensor | None = None) -> torch.Tensor:
        """z (B, z_dim) and class indices (B,) -> images (B, 1, 28, 28) in [-1, 1]."""
        if self.num_classes and labels is None:
            raise ValueError("this generator is conditional: pass a class label for each latent")
        return self.synthesize(z, self.embed(labels) if self.num_classes else None)

    def synthesize(self, z: torch.Tensor, label_vectors: torch.Tensor | None) -> torch.Tensor:
        """Like forward, but from label vectors, so a morph can interpolate between classes."""
        raise NotImplementedError


class Discriminator(HubModule):
    """What every discriminator offers: forward -> real/fake logits, judge -> logits and class logits."""

    def judge(self, images: torch.Tensor, labels: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Images (B, 1, 28, 28) -> (logits (B,), class logits (B, K) of an AC-GAN head, or None)."""
        return self(images, labels), None


class Dropout(nn.Dropout):
    """nn.Dropout drawing its mask with torch.rand: the same function, but bernoulli_,
    which nn.Dropout uses, is the slowest op of the chapter's cGAN step on a CPU (2.5x slower)."""

    def forward(self, x):
        if not self.training or self.p == 0:
            return x
        return x * (torch.rand_like(x) >= self.p) * (1.0 / (1.0 - self.p))


# --- The chapter's networks, layer for layer -------------------------------------------------


class MLPGenerator(Generator):
    """GAN: 64 -> 256 -> 256 -> 784 with ReLU and Tanh."""

    def __init__(self, *, z_dim: int = 64, hidden: int = 256):
        super().__init__()
        self.z_dim, self.num_classes = z_dim, 0
        self.net = nn.Sequential(
            nn.Linear(z_dim, hidden), nn.ReLU(inplace=True),
            nn.Linear(hidden, hidden), nn.ReLU(inplace=True),
            nn.Linear(hidden, IMAGE_PIXELS), nn.Tanh(),
        )

    def synthesize(self, z, label_vectors=None):
        return self.net(z).view(-1, 1, 28, 28)


class MLPDiscriminator(Discriminator):
    """GAN: 784 -> 256 -> 256 -> 1 with LeakyReLU(0.2); the chapter's Sigmoid lives in the loss."""

    def __init__(self, *, hidden: int = 256):
        super().__init__()
        self.num_classes = 0
        self.net = nn.Sequential(
            nn.Linear(IMAGE_PIXELS, hidden), nn.LeakyReLU(0.2, inplace=True),
            nn.Linear(hidden, hidden), nn.LeakyReLU(0.2, inplace=True),
            nn.Linear(hidden, 1),
        )

    def forward(self, images, labels=None):
        return self.net(images.view(-1, IMAGE_PIXELS)).squeeze(1)


class MLPConditionalGenerator(Generator):
    """cGAN: [z (100) | Embedding(10, 10)] = 110 -> 256 -> 512 -> 1024 -> 784, LeakyReLU(0.2), Tanh."""

    def __init__(self, *, z_dim: int = 100, num_classes: int = 10, embed_dim: int = 10):
        super().__init__()
        self.z_dim, self.num_classes = z_dim, num_classes
        self.label_embedding = nn.Embedding(num_classes, embed_dim)
        self.net = nn.Sequential(
            nn.Linear(z_dim + embed_dim, 256), nn.LeakyReLU(0.2, inplace=True),
            nn.Linear(256, 512), nn.LeakyReLU(0.2, inplace=True),
            nn.Linear(512, 1024), nn.LeakyReLU(0.2, inplace=True),
            nn.Linear(1024, IMAGE_PIXELS), nn.Tanh(),
        )

    def synthesize(self, z, label_vectors):
        return self.net(torch.cat([z, label_vectors], dim=1)).view(-1, 1, 28, 28)


class MLPConditionalDiscriminator(Discriminator):
    """cGAN: [image (784) | Embedding(10, 10)] = 794 -> 1024 -> 512 -> 256 -> 1, LeakyReLU(0.2), Dropout(0.3)."""

    def __init__(self, *, num_classes: int = 10, embed_dim: int = 10, dropout: float = 0.3):
        super().__init__()
        self.num_classes = num_classes
        self.label_embedding = nn.Embedding(num_classes, embed_dim)
        self.net = nn.Sequential(
            nn.Linear(IMAGE_PIXELS + embed_dim, 1024), nn.LeakyReLU(0.2, inplace=True), Dropout(dropout),
            nn.Linear(1024, 512), nn.LeakyReLU(0.2, inplace=True), Dropout(dropout),
            nn.Linear(512, 256), nn.LeakyReLU(0.2, inplace=True), Dropout(dropout),
            nn.Linear(256, 1),
        )

    def forward(self, images, labels):
        x = torch.cat([images.view(-1, IMAGE_PIXELS), self.label_embedding(labels)], dim=1)
        return self.net(x).squeeze(1)


# --- Convolutional networks (DCGAN), conditional through an embedding -----------------------


class DCGANGenerator(Generator):
    """[z | class embedding] -> 7x7 feature map -> transposed convolutions -> 28x28.

    num_classes=0 makes the unconditional generator. refine=True ends at 28x28 with
    channels/4 feature maps and a 3x3 convolution to the image, instead of going from
    14x14 features straight to pixels: room for thin details (sandal straps, bag handles).
    """

    def __init__(self, *, z_dim: int = 100, num_classes: int = 10, embed_dim: int = 32, channels: int = 128,
                 refine: bool = False):
        super().__init__()
        self.z_dim, self.num_classes = z_dim, num_classes
        if num_classes:
            self.label_embedding = nn.Embedding(num_classes, embed_dim)
        in_dim = z_dim + (embed_dim if num_classes else 0)
        self.project = nn.Sequential(
            nn.Linear(in_dim, channels * 7 * 7, bias=False),
            nn.BatchNorm1d(channels * 7 * 7), nn.ReLU(inplace=True),
        )
        self.channels = channels
        last = channels // 4 if refine else 1
        layers = [
            nn.ConvTranspose2d(channels, channels // 2, 4, 2, 1, bias=False),  # (C, 7, 7) -> (C/2, 14, 14)
            nn.BatchNorm2d(channels // 2), nn.ReLU(inplace=True),
            nn.ConvTranspose2d(channels // 2, last, 4, 2, 1, bias=not refine),  # -> (1 or C/4, 28, 28)
        ]
        if refine:
            layers += [nn.BatchNorm2d(last), nn.ReLU(inplace=True), nn.Conv2d(last, 1, 3, padding=1)]  # -> (1, 28, 28)
        self.upsample = nn.Sequential(*layers, nn.Tanh())

    def synthesize(self, z, label_vectors=None):
        x = z if label_vectors is None else torch.cat([z, label_vectors], dim=1)
        x = self.project(x).view(-1, self.channels, 7, 7)  # (B, in) -> (B, C, 7, 7)
        return self.upsample(x)


class MinibatchStd(nn.Module):
    """Appends one feature map: how much the images of a group of `group` differ (ProGAN, Karras et al. 2018).

    D can then tell a batch of near-copies from a batch as varied as real data, which
    pushes an unconditional G to cover every kind of garment. Groups are consecutive
    images, so a batch of b real then b fake images (b divisible by the group) never
    mixes the two in one group.
    """

    def __init__(self, group: int = 4):
        super().__init__()
        self.group = group

    def forward(self, x):
        b, c, h, w = x.shape
        g = math.gcd(self.group, b)
        groups = x.float().view(b // g, g, c, h, w)
        # the variance written out: torch.var over this middle dimension is 20x slower on a CPU
        deviation = groups - groups.mean(dim=1, keepdim=True)
        spread = deviation.square().mean(dim=1).add(1e-8).sqrt().mean(dim=(1, 2, 3))  # (b / g,)
        return torch.cat([x, spread.to(x.dtype).repeat_interleave(g).view(b, 1, 1, 1).expand(b, 1, h, w)], dim=1)


class DCGANDiscriminator(Discriminator):
    """Strided convolutions 28x28 -> 7x7, then a logit; the class enters by projection.

    Projection (Miyato & Koyama 2018): logit = w.h + embed(y).h, so D judges
    "is this a real image of class y" instead of merely "is this real".
    aux_classes > 0 adds an auxiliary classifier head (AC-GAN, Odena et al. 2017):
    D also learns to name the class of real images, and G is pushed to make
    images whose class D names correctly.
    """

    def __init__(self, *, num_classes: int = 10, channels: int = 64, feature_dim: int = 256, aux_classes: int = 0,
                 minibatch_std: bool = False):
        super().__init__()
        self.num_classes, self.aux_classes = num_classes, aux_classes
        sn = nn.utils.parametrizations.spectral_norm  # keeps D 1-Lipschitz per layer, so it cannot overpower G
        spread = [MinibatchStd()] if minibatch_std else []  # -> (2C + 1, 7, 7)
        self.features = nn.Sequential(
            sn(nn.Conv2d(1, channels, 4, 2, 1)), nn.LeakyReLU(0.2, inplace=True),  # (1, 28, 28) -> (C, 14, 14)
            sn(nn.Conv2d(channels, channels * 2, 4, 2, 1)), nn.LeakyReLU(0.2, inplace=True),  # -> (2C, 7, 7)
            *spread, nn.Flatten(),  # -> ((2C + spread) * 49)
            sn(nn.Linear((channels * 2 + len(spread)) * 49, feature_dim)), nn.LeakyReLU(0.2, inplace=True),  # -> (feature_dim)
        )
        self.logit = sn(nn.Linear(feature_dim, 1))
        if num_classes:
            self.class_projection = sn(nn.Embedding(num_classes, feature_dim))
        if aux_classes:
            self.classifier = nn.Linear(feature_dim, aux_classes)

    def judge(self, images, labels=None):
        h = self.features(images.view(-1, 1, 28, 28))
        out = self.logit(h).squeeze(1)
        if self.num_classes:
            out = out + (self.class_projection(labels) * h).sum(dim=1)
        return out, self.classifier(h) if self.aux_classes else None

    def forward(self, images, labels=None):
        return self.judge(images, labels)[0]


# --- The classifier whose features the metrics use -----------------------------------------


class FashionClassifier(HubModule):
    """A small CNN; its penultimate layer (`features`) is the metrics' feature space."""

    def __init__(self, *, channels: int = 32, feature_dim: int = 128, num_classes: int = 10, dropout: float = 0.3):
        super().__init__()
        c = channels
        self.body = nn.Sequential(
            nn.Conv2d(1, c, 3, padding=1), nn.BatchNorm2d(c), nn.ReLU(inplace=True), nn.MaxPool2d(2),  # -> (c, 14, 14)
            nn.Conv2d(c, 2 * c, 3, padding=1), nn.BatchNorm2d(2 * c), nn.ReLU(inplace=True), nn.MaxPool2d(2),  # -> (2c, 7, 7)
            nn.Conv2d(2 * c, 4 * c, 3, padding=1), nn.BatchNorm2d(4 * c), nn.ReLU(inplace=True),  # -> (4c, 7, 7)
            nn.Flatten(),
            nn.Linear(4 * c * 49, feature_dim), nn.ReLU(inplace=True),  # -> (feature_dim)
        )
        self.head = nn.Sequential(Dropout(dropout), nn.Linear(feature_dim, num_classes))

    def features(self, images: torch.Tensor) -> torch.Tensor:
        """Images in [-1, 1], (B, 1, 28, 28) or (B, 28, 28) -> (B, feature_dim)."""
        return self.body(images.view(-1, 1, 28, 28))

    def forward(self, images):
        return self.head(self.features(images))


# --- The projection's first guess ------------------------------------------------------------


class LatentEncoder(HubModule):
    """A picture -> the latent its generator would draw it from (fashion_gan.encoder trains it on the
    generator's own pictures). Its guess starts fashion_gan.project's search a few steps from the answer."""

    def __init__(self, *, z_dim: int = 100, channels: int = 32, hidden: int = 256):
        super().__init__()
        self.z_dim = z_dim
        c = channels
        self.body = nn.Sequential(
            nn.Conv2d(1, c, 4, 2, 1), nn.LeakyReLU(0.2, inplace=True),  # -> (c, 14, 14)
            nn.Conv2d(c, 2 * c, 4, 2, 1), nn.BatchNorm2d(2 * c), nn.LeakyReLU(0.2, inplace=True),  # -> (2c, 7, 7)
            nn.Conv2d(2 * c, 4 * c, 3, 1, 1), nn.BatchNorm2d(4 * c), nn.LeakyReLU(0.2, inplace=True),  # -> (4c, 7, 7)
            nn.Flatten(),
        )
        self.head = nn.Sequential(nn.Linear(4 * c * 49, hidden), nn.LeakyReLU(0.2, inplace=True), nn.Linear(hidden, z_dim))

    def features(self, images: torch.Tensor) -> torch.Tensor:
        """Images in [-1, 1], (B, 1, 28, 28) -> (B, 4c*49): the projection's feature distance compares these."""
        return self.body(images.view(-1, 1, 28, 28))

    def forward(self, images):
        return self.head(self.features(images))


ARCHITECTURES = {
    # (arch, conditional) -> (generator class, discriminator class)
    ("mlp", False): (MLPGenerator, MLPDiscriminator),
    ("mlp", True): (MLPConditionalGenerator, MLPConditionalDiscriminator),
    ("dcgan", False): (DCGANGenerator, DCGANDiscriminator),
    ("dcgan", True): (DCGANGenerator, DCGANDiscriminator),
}


def build_pair(arch: str, conditional: bool, aux_classifier: bool = False, *, g_channels: int | None = None,
               d_channels: int | None = None, refine: bool = False,
               minibatch_std: bool = False) -> tuple[Generator, Discriminator]:
    """A fresh generator and discriminator for `arch` ("mlp" or "dcgan").

    aux_classifier (conditional dcgan only) gives D the AC-GAN class head. The other
    options shape the dcgan networks (None: the class's default width) and are refused for mlp,
    which stays the chapter's networks.
    """
    g_cls, d_cls = ARCHITECTURES[(arch, conditional)]
    if aux_classifier and not (arch == "dcgan" and conditional):
        raise ValueError("the auxiliary classifier needs the conditional dcgan")
    if arch != "dcgan":
        if g_channels or d_channels or refine or minibatch_std:
            raise ValueError("channels, refine and minibatch_std shape the dcgan networks only")
        return g_cls(), d_cls()
    g_options = dict(refine=refine, **({"channels": g_channels} if g_channels else {}))
    d_options = dict(minibatch_std=minibatch_std, **({"channels": d_channels} if d_channels else {}))
    if not conditional:
        return g_cls(num_classes=0, **g_options), d_cls(num_classes=0, **d_options)
    return g_cls(**g_options), d_cls(aux_classes=10 if aux_classifier else 0, **d_options)  # 10: one per class
