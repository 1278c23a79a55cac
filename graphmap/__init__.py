"""graphmap: map territorial ecosystems and find the bridges between their worlds."""

__version__ = "0.1.0"
