"""Renderers: each prints the same Derivation in one format and computes nothing."""
