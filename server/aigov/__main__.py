import sys

from .cli import main

# Guarded: multiprocessing's spawn re-imports the main module (as __mp_main__) in every query evaluator.
if __name__ == "__main__":
    sys.exit(main())
