"""The differential fuzzer: a claim generator, an independent reference, and the test that compares them with symderiv."""
