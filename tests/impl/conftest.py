"""pytest's own `pytester`, to run the symderiv plugin in a user's test session."""

pytest_plugins = ["pytester"]
