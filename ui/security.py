"""What keeps a personal tool personal: loopback hosts only, a CSRF token on every form, strict page headers.

The token is an HMAC of a secret made when the app starts, so a page of another site (which cannot read ours)
cannot post a form here; the Host check stops a DNS-rebinding page from talking to us under its own name.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from ui.errors import CsrfRejected

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
# No script, style or frame from anywhere but this app; forms post only here.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "frame-src 'self'; form-action 'self'; frame-ancestors 'self'; base-uri 'none'")


def is_loopback(host: str) -> bool:
    """True for an address or name that only this machine can reach."""
    return host in LOOPBACK_HOSTS or host.startswith("127.")


def allowed_hosts(bind_host: str) -> list[str]:
    """The Host header values the app answers: the loopback names, and the bound host when another was given."""
    hosts = ["127.0.0.1", "localhost", "[::1]"]
    if bind_host not in hosts and bind_host not in ("0.0.0.0", "::"):
        hosts.append(bind_host)
    return hosts


class CsrfTokens:
    """Makes and checks the token every form carries (`csrf` field)."""

    def __init__(self, secret: bytes | None = None) -> None:
        self._secret = secret or secrets.token_bytes(32)

    @property
    def token(self) -> str:
        """The token of this app run."""
        return hmac.new(self._secret, b"plenty-ui-form", hashlib.sha256).hexdigest()

    def check(self, given: str | None, origin: str | None, host: str | None) -> None:
        """Raise `CsrfRejected` unless `given` is this run's token and the request did not come from another
        site (an Origin header, when the browser sends one, must name this host)."""
        if not given or not hmac.compare_digest(str(given), self.token):
            raise CsrfRejected("this form has no valid token (it may be from an earlier run of 'plenty ui'); "
                               "reload the page and send it again")
        if origin and origin != "null" and host and origin.split("://", 1)[-1] != host:
            raise CsrfRejected(f"a form from {origin} was refused: only this app's own pages may post here")
