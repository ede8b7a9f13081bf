"""schemathesis hooks for scripts/schemathesis (loaded through SCHEMATHESIS_HOOKS).

What no schema can say, told to the tool here rather than loosening its checks:

* A softcopy upload and a file to verify are PDF bytes: `application/pdf` bodies are sent
  as raw bytes, as schemathesis sends `application/octet-stream`, and a valid one is a
  real PDF (schemathesis' own one-page sample).
* A page cursor is opaque server state, handed out as `next_cursor`; any other value is
  refused (422), by design (a forged cursor must not page through someone else's query).
  So a generated *valid* request carries no made-up cursor; cursors reach the server only
  as the server gave them, and made-up ones still go out in negative cases.
"""

import schemathesis

schemathesis.serializer.alias("application/pdf", "application/octet-stream")

# And a valid one is a real PDF: schemathesis keeps a one-page PDF among its file samples
# and sends a sample where a server checks the file's signature (as it does for images).
from schemathesis.core import file_samples as _file_samples

_file_samples.MEDIA_TYPE_FILE_SAMPLES["application/pdf"] = _file_samples.FILE_SAMPLES["pdf"]


@schemathesis.hook
def map_case(ctx, case):
    meta = getattr(case, "meta", None)
    positive = meta is not None and meta.generation.mode.is_positive
    if positive and isinstance(case.query, dict) and "cursor" in case.query:
        case.query = {k: v for k, v in case.query.items() if k != "cursor"}
    return case


# hypothesis names a filter's lambda by parsing its source file with `ast.parse`, and
# CPython 3.11's parser can fail there with "SystemError: AST constructor recursion
# depth mismatch" when called deep in a stack (seen in the coverage phase, which then
# aborted the whole run). The name only labels output; fall back to a plain one.
from hypothesis.internal import lambda_sources as _lambda_sources

_describe = _lambda_sources._lambda_description


def _lambda_description(f, *args, **kwargs):
    try:
        return _describe(f, *args, **kwargs)
    except SystemError:
        return "lambda: ..."


_lambda_sources._lambda_description = _lambda_description


# schemathesis learns links from the URLs a 2xx body holds, and `urlsplit` raises
# "Invalid IPv6 URL" for a string such as "http://[x" (a generated publication title the
# API stored and answered with, as it should). The exception escaped the engine and ended
# the whole run as an internal error (CI, as librarian). Such a string is no link: skip it.
from schemathesis.engine import observations as _observations

_same_origin_path = _observations._same_origin_path


def _same_origin_path_or_none(value, origin):
    try:
        return _same_origin_path(value, origin)
    except ValueError:
        return None


_observations._same_origin_path = _same_origin_path_or_none
