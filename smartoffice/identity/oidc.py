"""Signing in at an OpenID Connect provider (the national IdP): authorization code flow with PKCE (S256), ``state``
and ``nonce``, the ID token checked against the provider's published keys.

1. :meth:`OidcLogin.begin` keeps the flow's secrets (nonce, PKCE verifier, where to return, and a hash of a
   random value the browser holds in a cookie) in Redis under the hash of a fresh ``state``, for
   :data:`FLOW_TTL_SECONDS`, and answers the provider's authorization URL.
2. :meth:`OidcLogin.finish` takes that entry out of Redis (GETDEL: a replayed or second callback finds nothing),
   checks the callback came back to the browser that started it, redeems the code at the token endpoint with
   the verifier (authlib's httpx client), verifies the ID token (joserfc: signature by the JWKS, ``iss``,
   ``aud``/``azp``, ``exp``, ``iat``, ``nonce``) and names the employee by :attr:`Settings.oidc_claim`.

The caller then opens the same Redis login session a password sign-in opens: the provider's tokens are not kept.
Before that, :meth:`OidcLogin.finish` brings the person's roles from the provider's groups in step with the ID
token's groups claim (:mod:`smartoffice.identity.idp_roles`): a token *without* the claim leaves them as they are
(a provider that does not send groups, or Entra ID's "too many groups" overage, must not take anyone's roles),
while a claim that is present and empty removes them.
Discovery and the JWKS are cached per process (:class:`ProviderDirectory`, held on the app's state); a token
signed by a key the cache does not know makes one refetch (the provider rotated its keys).

Every failure is an :class:`OidcFailure` with a message code and an HTTP status for the page to show.
"""

import hashlib
import json
import logging
import secrets
import time
from dataclasses import asdict, dataclass
from typing import Any

import httpx2
from authlib.common.errors import AuthlibBaseError
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import AsyncOAuth2Client
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import func, select

from smartoffice.audit.record import Actor
from smartoffice.db import Database
from smartoffice.identity.accounts import sign_in_refusal
from smartoffice.identity.idp_roles import sync_idp_roles
from smartoffice.people.models import Employee
from smartoffice.settings import Settings

log = logging.getLogger(__name__)

FLOW_TTL_SECONDS = 600
"""How long a started sign-in waits for the provider's callback."""
DIRECTORY_TTL_SECONDS = 3600
"""How long discovery and the JWKS are trusted before they are fetched again."""
HTTP_TIMEOUT_SECONDS = 10.0
MAX_STATE_LENGTH = 200
"""Ours are 43 characters; longer ones are not ours and are not worth hashing."""
CLOCK_LEEWAY_SECONDS = 60
BROWSER_COOKIE = "so_oidc"
"""Binds a flow to the browser that started it (login CSRF): its value's hash is stored with the flow."""
ACTOR = Actor.system("oidc")
"""Who changes roles from the provider's groups in the audit log: the provider, at the person's sign-in."""
SIGNING_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")
"""Asymmetric only: never ``none``, and no HMAC whose key would be our own client secret."""


class OidcFailure(Exception):
    """A sign-in at the provider that did not work out: ``code`` has words in smartoffice.web.login."""

    def __init__(self, code: str, status: int, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.status = status


def _unreachable(detail: str) -> OidcFailure:
    return OidcFailure("PAGE_OIDC_UNREACHABLE", 502, detail)


def _rejected(detail: str) -> OidcFailure:
    return OidcFailure("PAGE_OIDC_REJECTED", 401, detail)


@dataclass(frozen=True, slots=True)
class Flow:
    nonce: str
    code_verifier: str
    redirect_uri: str
    next_path: str
    browser_hash: str


@dataclass(frozen=True, slots=True)
class Started:
    authorization_url: str
    browser_secret: str
    """For the :data:`BROWSER_COOKIE`."""


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


class FlowStore:
    """Started sign-ins in Redis, one key each (Cluster-safe), by the hash of their ``state``; taken once."""

    def __init__(self, redis: Redis) -> None:
        self.redis = redis

    @staticmethod
    def _key(state: str) -> str:
        return "so:oidc-flow:" + _sha256(state)

    async def put(self, state: str, flow: Flow) -> None:
        await self.redis.set(self._key(state), json.dumps(asdict(flow)), ex=FLOW_TTL_SECONDS)

    async def take(self, state: str) -> Flow | None:
        raw = await self.redis.getdel(self._key(state))
        return None if raw is None else Flow(**json.loads(raw))


class ProviderDirectory:
    """The provider's discovery document and JWKS, fetched on first use and cached for this process."""

    def __init__(self, issuer: str) -> None:
        self.issuer = issuer
        self._metadata: dict[str, Any] | None = None
        self._metadata_at = 0.0
        self._keys: KeySet | None = None
        self._keys_at = 0.0

    async def metadata(self) -> dict[str, Any]:
        if self._metadata is None or time.monotonic() - self._metadata_at > DIRECTORY_TTL_SECONDS:
            url = self.issuer.rstrip("/") + "/.well-known/openid-configuration"
            document = await _get_json(url)
            # OpenID Connect Discovery 1.0 §4.3: the document speaks for exactly the issuer we asked.
            if str(document.get("issuer", "")).rstrip("/") != self.issuer.rstrip("/"):
                raise _unreachable(f"discovery names issuer {document.get('issuer')!r}, expected {self.issuer!r}")
            for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
                if not isinstance(document.get(name), str):
                    raise _unreachable(f"discovery document has no {name}")
            self._metadata, self._metadata_at = document, time.monotonic()
        return self._metadata

    async def keys(self, *, refresh: bool = False) -> KeySet:
        if refresh or self._keys is None or time.monotonic() - self._keys_at > DIRECTORY_TTL_SECONDS:
            document = await _get_json((await self.metadata())["jwks_uri"])
            try:
                self._keys = KeySet.import_key_set(document)  # type: ignore[arg-type]
            except (JoseError, ValueError, TypeError, KeyError) as exc:
                raise _unreachable(f"the provider's JWKS is unusable: {exc}") from exc
            self._keys_at = time.monotonic()
        return self._keys


async def _get_json(url: str) -> dict[str, Any]:
    try:
        async with httpx2.AsyncClient(timeout=HTTP_TIMEOUT_SECONDS) as client:
            response = await client.get(url, headers={"accept": "application/json"})
            response.raise_for_status()
            document = response.json()
    except (httpx2.HTTPError, ValueError) as exc:
        raise _unreachable(f"GET {url}: {exc!r}") from exc
    if not isinstance(document, dict):
        raise _unreachable(f"GET {url}: not a JSON object")
    return document


class OidcLogin:
    def __init__(self, settings: Settings, directory: ProviderDirectory, db: Database, redis: Redis) -> None:
        assert settings.oidc_issuer is not None, "OIDC sign-in is off"
        self.settings = settings
        self.directory = directory
        self.db = db
        self.flows = FlowStore(redis)

    @property
    def scope(self) -> str:
        # The email claim comes with the standard `email` scope; an IdP releasing `nip` names a scope after it.
        return f"openid {self.settings.oidc_claim}"

    def _client(self, redirect_uri: str) -> AsyncOAuth2Client:
        secret = self.settings.oidc_client_secret
        return AsyncOAuth2Client(
            client_id=self.settings.oidc_client_id,
            client_secret=secret,
            token_endpoint_auth_method="client_secret_basic" if secret else "none",
            scope=self.scope,
            redirect_uri=redirect_uri,
            code_challenge_method="S256",
            timeout=HTTP_TIMEOUT_SECONDS,
        )

    async def begin(self, redirect_uri: str, next_path: str) -> Started:
        metadata = await self.directory.metadata()
        state, nonce, verifier, browser_secret = (generate_token(43) for _ in range(4))
        try:
            await self.flows.put(state, Flow(nonce, verifier, redirect_uri, next_path, _sha256(browser_secret)))
        except RedisError as exc:
            raise OidcFailure("PAGE_SIGN_IN_UNAVAILABLE", 503, f"Redis: {exc}") from exc
        async with self._client(redirect_uri) as client:
            url, _ = client.create_authorization_url(
                metadata["authorization_endpoint"], state=state, code_verifier=verifier, nonce=nonce
            )
        return Started(url, browser_secret)

    async def finish(self, params: dict[str, str], browser_secret: str | None) -> tuple[int, str]:
        """The callback: returns ``(employee id, next path)`` or raises :class:`OidcFailure`."""
        state = params.get("state", "")
        try:
            flow = await self.flows.take(state) if 0 < len(state) <= MAX_STATE_LENGTH else None
        except RedisError as exc:
            raise OidcFailure("PAGE_SIGN_IN_UNAVAILABLE", 503, f"Redis: {exc}") from exc
        if flow is None:
            raise OidcFailure("PAGE_OIDC_EXPIRED", 400, "unknown, expired or already used state")
        if not browser_secret or not secrets.compare_digest(_sha256(browser_secret), flow.browser_hash):
            raise OidcFailure("PAGE_OIDC_EXPIRED", 400, "the callback reached another browser than the one that began")
        if "error" in params:
            raise OidcFailure(
                "PAGE_OIDC_DENIED", 401, f"provider: {params['error']}: {params.get('error_description')}"
            )
        metadata = await self.directory.metadata()
        # RFC 9207: a provider that names itself in the response must be ours (mix-up attacks).
        if "iss" in params and params["iss"] != metadata["issuer"]:
            raise _rejected(f"callback from issuer {params['iss']!r}")
        code = params.get("code")
        if not code:
            raise OidcFailure("PAGE_OIDC_EXPIRED", 400, "callback without a code")
        token = await self._redeem(metadata["token_endpoint"], code, flow)
        id_token = token.get("id_token")
        if not isinstance(id_token, str):
            raise _rejected("the token response has no id_token")
        claims = await self.verify_id_token(id_token, flow.nonce)
        employee_id = await self.employee_for(claims)
        groups = self.groups_in(claims)
        if groups is not None:
            async with self.db.write() as session:
                await sync_idp_roles(session, employee_id, groups, ACTOR)
        return employee_id, flow.next_path

    def groups_in(self, claims: dict[str, Any]) -> list[str] | None:
        """The groups the ID token lists, or None when it does not say (then roles from groups stay as they are)."""
        name = self.settings.oidc_groups_claim
        value = claims.get(name)
        if value is None:
            names = claims.get("_claim_names")
            if isinstance(names, dict) and name in names:
                # Entra ID's group overage: more groups than fit in a token, to be fetched from Microsoft Graph.
                log.warning(
                    "OIDC sign-in (sub %s): too many groups for the token; roles left as they are", claims["sub"]
                )
            return None
        if isinstance(value, str):
            return [value]
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return list(value)
        log.warning(
            "OIDC sign-in (sub %s): the %s claim is not a list of names; roles left as they are", claims["sub"], name
        )
        return None

    async def _redeem(self, token_endpoint: str, code: str, flow: Flow) -> dict[str, Any]:
        try:
            async with self._client(flow.redirect_uri) as client:
                token = await client.fetch_token(
                    token_endpoint, grant_type="authorization_code", code=code, code_verifier=flow.code_verifier
                )
        except AuthlibBaseError as exc:  # the provider answered with an OAuth error: e.g. invalid_grant
            raise _rejected(f"token endpoint: {exc.error}: {exc.description}") from exc
        except (httpx2.HTTPError, ValueError) as exc:
            raise _unreachable(f"token endpoint: {exc!r}") from exc
        return dict(token)

    async def verify_id_token(self, id_token: str, nonce: str) -> dict[str, Any]:
        """The ID token's claims once its signature (by a key of the provider's JWKS) and claims check out."""
        metadata = await self.directory.metadata()
        try:
            try:
                decoded = jwt.decode(id_token, await self.directory.keys(), algorithms=SIGNING_ALGORITHMS)
            except InvalidKeyIdError:
                # Signed by a key we have not seen: the provider may have rotated its keys since we cached them.
                keys = await self.directory.keys(refresh=True)
                decoded = jwt.decode(id_token, keys, algorithms=SIGNING_ALGORITHMS)
            claims = decoded.claims
            jwt.JWTClaimsRegistry(
                leeway=CLOCK_LEEWAY_SECONDS,
                iss={"essential": True, "value": metadata["issuer"]},
                sub={"essential": True},
                aud={"essential": True, "value": self.settings.oidc_client_id},
                exp={"essential": True},
                iat={"essential": True},
                nonce={"essential": True, "value": nonce},
            ).validate(claims)
        except (JoseError, ValueError) as exc:
            raise _rejected(f"ID token: {exc}") from exc
        # OpenID Connect Core §3.1.3.7: with several audiences, the token must have been issued to us.
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.settings.oidc_client_id:
            raise _rejected(f"ID token: azp {claims.get('azp')!r} with audiences {audiences}")
        return claims

    async def employee_for(self, claims: dict[str, Any]) -> int:
        """The employee the claim (``email`` or ``nip``) names; an unverified email names nobody."""
        name = self.settings.oidc_claim
        value = claims.get(name)
        if not isinstance(value, str) or not value.strip():
            raise OidcFailure("PAGE_OIDC_NO_CLAIM", 403, f"the ID token has no {name} claim")
        if name == "email" and claims.get("email_verified") is False:
            raise OidcFailure("PAGE_OIDC_NO_CLAIM", 403, "the provider has not verified this email")
        employee_id = await find_employee(self.db, name, value.strip())
        if employee_id is None:
            log.info("OIDC sign-in by %s=%s (sub %s): no such employee", name, value, claims.get("sub"))
            raise OidcFailure("PAGE_OIDC_UNKNOWN_PERSON", 403, f"no employee with {name} {value}")
        refusal = await sign_in_refusal(self.db, employee_id)
        if refusal is not None:
            raise OidcFailure(refusal.value, 403, f"employee {employee_id} may not sign in ({refusal.name})")
        return employee_id


async def find_employee(db: Database, claim: str, value: str) -> int | None:
    column = func.lower(Employee.email) if claim == "email" else Employee.nip
    wanted = value.lower() if claim == "email" else value
    async with db.read() as session:
        found = await session.scalar(select(Employee.id).where(column == wanted))
    return None if found is None else int(found)
