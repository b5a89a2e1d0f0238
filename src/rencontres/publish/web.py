"""A browser's part of a session with SPIP's private area: one cookie jar in memory (the
`spip_session` cookie is a secret: never stored), redirects not followed (SPIP says where a
new article is in the `Location` of its answer: it is read before anything else), a timeout
on every exchange. Plain `http://` only to a loopback address: the login form sends the
password in clear."""

from __future__ import annotations

import ipaddress
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from rencontres.core.errors import RencontresError, UsageError, reason
from rencontres.core.i18n import _


class SiteError(RencontresError):
    """The site cannot be reached, or answered what no SPIP answers."""

    exit_code = 6


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    text: str

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001
        return None


def base_url(url: str) -> str:
    """The site's address, checked: https, or http to a loopback address only."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(_("{url}: not a site's address").format(url=repr(url)),
                         _("give it as https://example.org/"))
    if parts.scheme == "http":
        try:
            loopback = ipaddress.ip_address(parts.hostname).is_loopback
        except ValueError:
            loopback = parts.hostname == "localhost"
        if not loopback:
            raise UsageError(_("{url}: refusing to send a password over plain http").format(
                url=url), _("use the site's https:// address"))
    path = parts.path if parts.path.endswith("/") else parts.path.rsplit("/", 1)[0] + "/"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


class Http:
    def __init__(self, base: str, timeout: float = 30.0) -> None:
        import http.cookiejar

        self.base, self.timeout = base_url(base), timeout
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  _NoRedirect)

    def cookie(self, name: str) -> bool:
        return any(c.name == name for c in self.jar)

    def get(self, path: str) -> Response:
        return self._open(urllib.request.Request(self._url(path)))

    def post(self, path: str, data: dict[str, str]) -> Response:
        body = urllib.parse.urlencode(data).encode("utf-8")
        return self._open(urllib.request.Request(self._url(path), data=body))

    def _url(self, path: str) -> str:
        return urllib.parse.urljoin(self.base, path)

    def _open(self, request: urllib.request.Request) -> Response:
        try:
            with self.opener.open(request, timeout=self.timeout) as answer:
                return self._response(answer.status, answer.headers, answer.read())
        except urllib.error.HTTPError as answer:  # 3xx (not followed), 4xx, 5xx
            if answer.code >= 500:
                raise SiteError(_("{site}: the server answered {code} ({why})").format(
                    site=self.base, code=answer.code, why=answer.reason),
                    _("try again later, or ask the site's webmaster")) from None
            return self._response(answer.code, answer.headers, answer.read())
        except urllib.error.URLError as exc:
            cause = exc.reason  # an OSError (refused, no such host…), or its words
            why = reason(cause) if isinstance(cause, OSError) else str(cause)
            raise SiteError(_("{site}: cannot be reached ({why})").format(site=self.base, why=why),
                            _("check the site's address (RENCONTRES_SPIP_URL or [spip] url)")
                            ) from None
        except TimeoutError:
            raise SiteError(_("{site}: no answer in time").format(site=self.base),
                            _("try again later")) from None
        except (ConnectionError, OSError) as exc:  # cut in the middle of an answer
            raise SiteError(_("{site}: the connection was lost ({why})").format(
                site=self.base, why=reason(exc) if exc.errno else type(exc).__name__),
                _("run the same command again: it completes what was begun")) from None

    @staticmethod
    def _response(status: int, headers, body: bytes) -> Response:
        charset = headers.get_content_charset() or "utf-8"
        return Response(status, {k.lower(): v for k, v in headers.items()},
                        body.decode(charset, errors="replace"))
