"""Posting JSON to a channel's HTTP endpoint (chat platform, SMS gateway).

The standard library's urllib, so no new dependency. Failures become
``DeliveryError``: 4xx is permanent (retrying sends the same bad request),
except 408 and 429, which ask for a retry; 5xx and network errors are
temporary.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Mapping

from kefu.cases.delivery import DeliveryError, FailureCode

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10
_RETRY_STATUSES = frozenset({408, 429})


def post_json(
    url: str, payload: Mapping[str, object], *, headers: Mapping[str, str] | None = None
) -> dict[str, object]:
    """POST ``payload`` as JSON; return the JSON object answered ({} if none)."""
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return post_bytes(url, body, headers=headers)


def post_bytes(
    url: str, body: bytes, *, headers: Mapping[str, str] | None = None
) -> dict[str, object]:
    """POST an already encoded JSON ``body`` (so a signature can cover the exact bytes)."""
    if not url.startswith(("http://", "https://")):
        raise DeliveryError(
            f"not an http(s) URL: {url!r}", permanent=True, code=FailureCode.NOT_CONFIGURED
        )
    request = urllib.request.Request(  # noqa: S310  (scheme checked above)
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            answer = response.read()
    except urllib.error.HTTPError as exc:
        permanent = 400 <= exc.code < 500 and exc.code not in _RETRY_STATUSES
        raise DeliveryError(f"HTTP {exc.code} from {url}", permanent=permanent) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise DeliveryError(f"cannot reach {url}: {exc}", permanent=False) from exc
    try:
        data = json.loads(answer) if answer.strip() else {}
    except ValueError:
        # Delivered, but the answer is unreadable: do not send twice for it.
        logger.warning("%s answered something that is not JSON", url)
        return {}
    return data if isinstance(data, dict) else {}
