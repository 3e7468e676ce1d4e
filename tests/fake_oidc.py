"""A tiny OpenID Connect provider on 127.0.0.1 (port 0) that can be told to go
wrong: discovery, keys (JWKS), an authorisation endpoint that approves at once,
and a token endpoint that checks the client's secret and the PKCE verifier, then
returns an ID token that is right, or wrong in one chosen way.

The real provider (tests/oidc/provider.js, oidc-provider from npm) proves the
browser round trip; this one proves each refusal.
"""

import base64
import hashlib
import hmac
import json
import secrets
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from tests import local_server

CLIENT_ID, CLIENT_SECRET = "feedback-service", "a-client-secret-for-the-tests"
FAULTS = ("bad_signature", "wrong_audience", "wrong_issuer", "expired", "no_nonce",
          "old_nonce", "unknown_kid", "hs256", "no_signature")


class FakeProvider:
    """issuer; `claims` (sub, email, roles, team) for the next ID token; `fault`
    one of FAULTS or None; `now` the moment tokens are issued at (the test's)."""

    def __init__(self, now):
        self.now, self.fault, self.claims = now, None, {}
        self.key = RSAKey.generate_key(2048, parameters={"kid": "key-1"})
        self.published = [self.key]
        self.codes, self.nonces_seen, self.jwks_fetches = {}, [], 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.provider = self
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        local_server.start(self.server)

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def rotate(self):
        """A new signing key, published beside the old one from now on."""
        self.key = RSAKey.generate_key(2048, parameters={"kid": f"key-{len(self.published) + 1}"})
        self.published.append(self.key)

    def discovery(self):
        return {"issuer": self.issuer, "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token", "jwks_uri": f"{self.issuer}/jwks",
                "end_session_endpoint": f"{self.issuer}/logout",
                "response_types_supported": ["code"], "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"]}

    def id_token(self, nonce):
        """The ID token for a sign-in whose request carried nonce, with self.fault."""
        fault, issued = self.fault, int(self.now().timestamp())
        claims = {"iss": self.issuer, "aud": CLIENT_ID, "sub": "subject-1",
                  "email": "sso.officer@example.com", "iat": issued, "exp": issued + 300,
                  "nonce": nonce, **self.claims}
        if fault == "wrong_audience":
            claims["aud"] = "another-service"
        elif fault == "wrong_issuer":
            claims["iss"] = "https://evil.example"
        elif fault == "expired":
            claims.update(iat=issued - 3600, exp=issued - 1800)
        elif fault == "no_nonce":
            del claims["nonce"]
        elif fault == "old_nonce":
            claims["nonce"] = self.nonces_seen[0]
        self.nonces_seen.append(nonce)
        return self._sign(claims, fault)

    def _sign(self, claims, fault):
        key, header = self.key, {"alg": "RS256", "kid": self.key.kid}
        if fault == "bad_signature":  # the published key id, another key
            key = RSAKey.generate_key(2048, parameters={"kid": self.key.kid})
        elif fault == "unknown_kid":
            key = RSAKey.generate_key(2048, parameters={"kid": "never-published"})
            header["kid"] = "never-published"
        elif fault == "hs256":  # "signed" with the client secret, as a forger might
            return _hs256(claims, CLIENT_SECRET)
        elif fault == "no_signature":
            return _unsigned(claims)
        return jwt.encode(header, claims, key)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's naming)
        provider, parts = self.server.provider, urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if parts.path == "/.well-known/openid-configuration":
            return self._json(provider.discovery())
        if parts.path == "/jwks":
            provider.jwks_fetches += 1
            return self._json(KeySet(provider.published).as_dict(private=False))
        if parts.path == "/authorize":
            return self._authorize(provider, query)
        return self._json({"error": "not_found"}, 404)

    def _authorize(self, provider, query):
        if (query.get("client_id") != CLIENT_ID or query.get("response_type") != "code"
                or query.get("code_challenge_method") != "S256"):
            return self._json({"error": "invalid_request"}, 400)
        code = secrets.token_urlsafe(16)
        provider.codes[code] = query
        target = query["redirect_uri"] + "?" + urlencode(
            {"code": code, "state": query.get("state", "")})
        self.send_response(302)
        self.send_header("Location", target)
        self.end_headers()

    def do_POST(self):  # noqa: N802
        provider = self.server.provider
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        form = {k: v[0] for k, v in parse_qs(body).items()}
        expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        request = provider.codes.pop(form.get("code", ""), None)
        if self.headers.get("Authorization") != expected or request is None:
            return self._json({"error": "invalid_grant"}, 400)
        challenge = _b64(hashlib.sha256(form.get("code_verifier", "").encode()).digest())
        if challenge != request.get("code_challenge") or (
                form.get("redirect_uri") != request["redirect_uri"]):
            return self._json({"error": "invalid_grant"}, 400)
        return self._json({"access_token": secrets.token_urlsafe(16), "token_type": "Bearer",
                           "expires_in": 300, "id_token": provider.id_token(request.get("nonce"))})

    def _json(self, document, status=200):
        body = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _hs256(claims, secret):
    signing_input = (_b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "."
                     + _b64(json.dumps(claims).encode()))
    signature = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + _b64(signature)


def _unsigned(claims):
    return (_b64(json.dumps({"alg": "none"}).encode()) + "."
            + _b64(json.dumps(claims).encode()) + ".")
