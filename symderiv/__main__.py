"""`python -m symderiv`: the same as the `symderiv` command."""

from .cli import main

if __name__ == "__main__":
    main()
