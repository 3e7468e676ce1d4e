"""The force's OpenID Connect provider: an adapter over Authlib.

Authorisation code flow with PKCE (S256). The provider's discovery document and
keys (JWKS) are fetched when first needed and kept; an ID token signed with a key
id the kept keys do not have fetches them once more (the provider rotated its
keys), then is refused. Every check of the ID token (signature, issuer, audience,
expiry, nonce) refuses with TokenRefused and a short reason for the audit log;
the token itself is never logged.
"""

import threading

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.common.security import generate_token
from authlib.common.urls import add_params_to_uri
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import (
    BadSignatureError,
    ExpiredTokenError,
    InvalidClaimError,
    InvalidKeyIdError,
    JoseError,
    MissingClaimError,
)
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

# Asymmetric algorithms only: a token "signed" with the client secret (HS256) or
# with none is refused whatever the discovery document says.
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"]
LEEWAY_SECONDS = 60  # clock skew between the provider and this service


class TokenRefused(Exception):
    """The provider's answer cannot be trusted; the text is the reason (for the
    audit log: "signature", "issuer", "audience", "expired", "nonce", ...)."""


class ProviderUnavailable(Exception):
    """The provider did not answer, or answered nonsense: a calm 503."""


class Provider:
    """One provider, shared by every request of an app; built in create_app."""

    def __init__(self, issuer, client_id, client_secret, timeout):
        self.issuer, self.client_id, self.timeout = issuer, client_id, timeout
        self._secret = client_secret
        self._metadata, self._keys, self._lock = None, None, threading.Lock()

    def start(self, redirect_uri):
        """Where to send the browser, and what to keep (server-side, single use)
        to check the answer: {url, state, nonce, verifier}."""
        state, nonce, verifier = generate_token(32), generate_token(32), generate_token(48)
        with self._session(redirect_uri) as session:
            url, _ = session.create_authorization_url(
                self.metadata()["authorization_endpoint"], state=state,
                code_verifier=verifier, nonce=nonce)
        return {"url": url, "state": state, "nonce": nonce, "verifier": verifier}

    def finish(self, code, redirect_uri, verifier, nonce, now):
        """The ID token's checked claims (a dict) for the code the provider sent back."""
        try:
            with self._session(redirect_uri) as session:
                token = session.fetch_token(self.metadata()["token_endpoint"], code=code,
                                            code_verifier=verifier, timeout=self.timeout)
        except requests.RequestException as error:
            raise ProviderUnavailable("token endpoint") from error
        except (AuthlibBaseError, ValueError) as error:  # the provider refused the code
            raise TokenRefused("code") from error
        id_token = token.get("id_token")
        if not isinstance(id_token, str):
            raise TokenRefused("no ID token")
        return self.check_id_token(id_token, nonce, token.get("access_token"), now)

    def check_id_token(self, id_token, nonce, access_token, now):
        decoded = self._decode(id_token)
        params = {"nonce": nonce, "client_id": self.client_id}
        if access_token:
            params["access_token"] = access_token
        options = {"iss": {"essential": True, "value": self.issuer},
                   "aud": {"essential": True, "value": self.client_id},
                   "nonce": {"essential": True, "value": nonce}}
        claims = CodeIDToken(decoded.claims, decoded.header, options, params)
        try:
            claims.validate(now=int(now.timestamp()), leeway=LEEWAY_SECONDS)
        except ExpiredTokenError:
            raise TokenRefused("expired") from None
        except (InvalidClaimError, MissingClaimError) as error:
            raise TokenRefused(_claim_name(error)) from None
        except JoseError:
            raise TokenRefused("claims") from None
        return dict(claims)

    def sign_out_url(self, after):
        """The provider's own sign-out (RP-initiated logout), or None if it has none.
        No id_token_hint: the ID token is not kept after the sign-in, so the
        provider asks the person to confirm."""
        endpoint = self.metadata().get("end_session_endpoint")
        if not endpoint:
            return None
        return add_params_to_uri(endpoint, [("post_logout_redirect_uri", after),
                                            ("client_id", self.client_id)])

    def metadata(self):
        if self._metadata is None:
            document = self._get_json(f"{self.issuer}/.well-known/openid-configuration")
            # The document must be the issuer's own (OpenID Connect Discovery, 4.3).
            if document.get("issuer") != self.issuer or not all(
                    isinstance(document.get(name), str) for name in
                    ("authorization_endpoint", "token_endpoint", "jwks_uri")):
                raise ProviderUnavailable("discovery document")
            self._metadata = document
        return self._metadata

    def _decode(self, id_token):
        try:
            return self._decode_with(self._key_set(), id_token)
        except InvalidKeyIdError:
            pass  # perhaps rotated: fetch the keys once more, then refuse
        try:
            return self._decode_with(self._key_set(refresh=True), id_token)
        except InvalidKeyIdError:
            raise TokenRefused("unknown key") from None

    def _decode_with(self, keys, id_token):
        try:
            return jwt.decode(id_token, keys, registry=JWSRegistry(algorithms=ALGORITHMS))
        except InvalidKeyIdError:
            raise
        except BadSignatureError:
            raise TokenRefused("signature") from None
        except (JoseError, ValueError):
            raise TokenRefused("malformed") from None

    def _key_set(self, refresh=False):
        with self._lock:
            if self._keys is None or refresh:
                try:
                    self._keys = KeySet.import_key_set(self._get_json(self.metadata()["jwks_uri"]))
                except (JoseError, ValueError, KeyError, TypeError) as error:
                    raise ProviderUnavailable("keys") from error
            return self._keys

    def _get_json(self, url):
        try:
            response = requests.get(url, timeout=self.timeout)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as error:
            raise ProviderUnavailable(url) from error
        if not isinstance(document, dict):
            raise ProviderUnavailable(url)
        return document

    def _session(self, redirect_uri):
        return OAuth2Session(self.client_id, self._secret, scope="openid email profile",
                             redirect_uri=redirect_uri, code_challenge_method="S256",
                             token_endpoint_auth_method="client_secret_basic")  # noqa: S106


def _claim_name(error):
    claim = getattr(error, "claim", "") or ""
    return {"iss": "issuer", "aud": "audience", "nonce": "nonce", "azp": "audience"}.get(
        claim, f"claim {claim}".strip())
