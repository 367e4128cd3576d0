"""Stage 6, write: the one writer of a build's output, swapped in only when everything succeeded."""
