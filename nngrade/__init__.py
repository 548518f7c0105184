"""nngrade: grade NumPy neural-network labs against PyTorch and Keras.

Importing this package imports nothing heavy: torch and TensorFlow are imported by the
oracles in `reference/` when a check first needs them.
"""
__version__ = "0.1.0"
