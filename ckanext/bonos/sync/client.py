"""The target's Action API through ckanapi, with bounded retries.

- Timeouts, connection errors and 5xx answers are retried with exponential
  backoff (``backoff`` seconds, doubling, at most 8 s between tries,
  ``retries`` times). When they persist the target is taken as unreachable
  (``Unreachable``) and the run stops instead of waiting on every dataset.
- 4xx answers are not retried: they come back as ``Refused`` carrying the
  target's own message.
- The API token never appears in a message: ``scrub`` removes it from
  anything that leaves this module.
- ``on_write`` (optional) is called after every successful write; the tests
  use it to kill or revoke things on the target at a chosen moment.
"""
from __future__ import annotations

import json
import logging
import time
from typing import Callable, Optional

import requests
from ckanapi import RemoteCKAN
from ckanapi import errors as api_errors

from .targets import Target

log = logging.getLogger(__name__)
MAX_WAIT = 8.0
USER_AGENT = "ckanext-bonos-push/1"


class Refused(Exception):
    """The target answered 4xx: the message is the target's (scrubbed)."""

    def __init__(self, message: str, kind: str = ""):
        super().__init__(message)
        self.kind = kind


class Unreachable(Exception):
    """Timeouts, refused connections or 5xx outlasted the retries."""


class _ServerError(Exception):
    pass


class _Remote(RemoteCKAN):
    """ckanapi's client, with 5xx turned into an error we can retry (ckanapi
    would report them as unrecognised answers)."""

    def _request_fn(self, url, data, headers, files, requests_kwargs):
        status, text = super()._request_fn(url, data, headers, files, requests_kwargs)
        if status >= 500:
            raise _ServerError("HTTP %d" % status)
        return status, text


def _message(error: Exception) -> str:
    if isinstance(error, api_errors.ValidationError):
        detail = {k: v for k, v in (error.error_dict or {}).items() if k != "__type"}
        return "Validation Error: %s" % json.dumps(detail, ensure_ascii=False, sort_keys=True)
    if isinstance(error, api_errors.NotAuthorized):
        err = error.args[0] if error.args else ""
        text = err.get("message", "") if isinstance(err, dict) else str(err)
        return "Authorization Error: %s" % (text or "forbidden")
    if isinstance(error, api_errors.NotFound):
        return "Not Found: %s" % (error.args[0] if error.args else "")
    return "%s: %s" % (error.__class__.__name__, error)


class TargetClient:
    def __init__(self, target: Target, on_write: Optional[Callable[[str, int], None]] = None,
                 sleep: Callable[[float], None] = time.sleep):
        self.target = target
        self._token = target.token
        self.on_write = on_write
        self.sleep = sleep
        self.reads = 0
        self.writes = 0
        self.session = requests.Session()
        self.api = _Remote(target.url, apikey=self._token, user_agent=USER_AGENT,
                           session=self.session)

    def scrub(self, text: str) -> str:
        return text.replace(self._token, "[token]") if self._token else text

    def close(self) -> None:
        self.session.close()

    def read(self, action: str, **data):
        return self._call(action, data, None, write=False)

    def write(self, action: str, data: dict, files: Optional[Callable[[], dict]] = None,
              already_done: Optional[Callable[[], object]] = None):
        """One write. ``files`` is a function returning fresh file handles
        (each try re-reads the file). ``already_done`` is asked before a
        retry of a write that is not idempotent (resource_create): if the
        first try did land, its result is used instead of writing twice."""
        result = self._call(action, data, files, write=True, already_done=already_done)
        self.writes += 1
        if self.on_write:
            self.on_write(action, self.writes)
        return result

    def _call(self, action, data, files, write, already_done=None):
        wait = self.target.backoff
        attempt = 0
        while True:
            handles = files() if files else None
            try:
                if not write:
                    self.reads += 1
                return self.api.call_action(action, data, files=handles,
                                            requests_kwargs={"timeout": self.target.timeout})
            except (api_errors.ValidationError, api_errors.NotAuthorized,
                    api_errors.NotFound, api_errors.SearchError,
                    api_errors.SearchQueryError) as e:
                raise Refused(self.scrub(_message(e)), kind=e.__class__.__name__) from None
            except api_errors.CKANAPIError as e:
                # 4xx that ckanapi does not know (e.g. 400, 413): the body is the message.
                raise Refused(self.scrub(str(e)[:2000]), kind="CKANAPIError") from None
            except (requests.Timeout, requests.ConnectionError, _ServerError) as e:
                problem = self.scrub("%s: %s" % (e.__class__.__name__, e))[:500]
                if attempt >= self.target.retries:
                    raise Unreachable("%s %s: %s (tras %d intentos / after %d tries)"
                                      % (self.target.url, action, problem,
                                         attempt + 1, attempt + 1)) from None
                log.warning("bonos push: %s %s failed (%s); retry in %.1f s",
                            self.target.name, action, problem, wait)
                self.sleep(wait)
                wait = min(wait * 2, MAX_WAIT)
                attempt += 1
                if already_done is not None:
                    try:
                        done = already_done()
                    except (requests.RequestException, _ServerError,
                            api_errors.CKANAPIError):
                        done = None
                    if done is not None:
                        return done
            finally:
                for handle in (handles or {}).values():
                    f = handle[1] if isinstance(handle, tuple) else handle
                    if hasattr(f, "close"):
                        f.close()
