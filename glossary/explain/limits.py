"""How much one explanation takes: the contract's limit on the text, and on the request that carries it."""

from __future__ import annotations

MAX_CHARS = 20_000  # code points of text: a long report is about 600 words, some 4,000 characters
# The whole request body. A 20,000-character report sent as a form or as JSON fits with room to spare;
# anything larger is refused before it is read, so no body is ever spooled to disk.
MAX_BODY_BYTES = 64 * 1024
