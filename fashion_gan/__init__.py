"""fashion-gan: the textbook GAN and cGAN on Fashion-MNIST, plus stronger networks beside them."""

__version__ = "0.1.0"
