"""A fake Bot Framework token issuer on 127.0.0.1: a locally generated RSA key, published as
OpenID metadata and a JWKS the way the Bot Connector publishes its own, and tokens signed
with it.

Shapes: the OpenID metadata document and the token claims of "Authenticate requests from the
Bot Connector service to your bot" (learn.microsoft.com/azure/bot-service/rest-api/
bot-framework-rest-connector-authentication): metadata at /v1/.well-known/openidconfiguration
with issuer, authorization_endpoint, jwks_uri, id_token_signing_alg_values_supported and
token_endpoint_auth_methods_supported; keys (RFC 7517 JWKs) with an `endorsements` list;
tokens with aud, iss, nbf, exp and the `serviceurl` claim, signed RS256 with a `kid`.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"
METADATA_PATH = "/v1/.well-known/openidconfiguration"
KEYS_PATH = "/v1/.well-known/keys"


class FakeIssuer:
    def __init__(self, kid: str = "qabot-test-key") -> None:
        self.kid = kid
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.fetches: list[str] = []
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def metadata_url(self) -> str:
        return self.url + METADATA_PATH

    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": BOT_FRAMEWORK_ISSUER,
            "authorization_endpoint": "https://invalid.botframework.com",
            "jwks_uri": self.url + KEYS_PATH,
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
        }

    def jwks(self) -> dict[str, Any]:
        jwk: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update({"kid": self.kid, "use": "sig", "endorsements": ["msteams"]})
        return {"keys": [jwk]}

    def token(self, *, omit: tuple[str, ...] = (), **claims: Any) -> str:
        """A signed token; `claims` override the defaults, `omit` drops some (e.g. "exp")."""
        now = int(time.time())
        body: dict[str, Any] = {"iss": BOT_FRAMEWORK_ISSUER, "nbf": now - 60, "exp": now + 3600}
        body.update(claims)
        for name in omit:
            body.pop(name, None)
        return jwt.encode(body, self.key, algorithm="RS256", headers={"kid": self.kid})

    def start(self) -> FakeIssuer:
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                issuer.fetches.append(self.path)
                pages = {METADATA_PATH: issuer.metadata, KEYS_PATH: issuer.jwks}
                page = pages.get(self.path)
                data = json.dumps(page()).encode() if page else b"{}"
                self.send_response(200 if page else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
