"""Simulation code that runs next to titanoboa's in-process EVM (never imported by deploy/network)."""
