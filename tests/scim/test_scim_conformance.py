"""scim2-tester, the SCIM conformance checker, against the app served by a real server process: discovery,
then for Users and Groups creation, reads, lists, searches with attributes, replacement, deletion and PATCH
add/replace/remove of every attribute the published schemas declare."""

import asyncio
from collections import Counter

import httpx2
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server
from scim2_tester.utils import CheckResult

from smartoffice.db import Database
from tests.factories import Factory
from tests.support.scim import SCIM, provisioner

INAPPLICABLE = {"search_with_attributes"}
"""Checks answered SKIPPED on purpose: POST /.search at the root (several resource types at once, RFC 7644 §3.4.3)
is answered 501, as the RFC allows; /Users/.search and /Groups/.search are served (and checked by our tests)."""


def run_checks(base_url: str, token: str) -> list[CheckResult]:
    with httpx2.Client(base_url=base_url + SCIM, headers={"Authorization": f"Bearer {token}"}, timeout=10) as http:
        return check_server(SyncSCIMClient(http), raise_exceptions=False)


async def test_scim2_tester_passes_every_check(server: str, db: Database, factory: Factory) -> None:
    idp = await provisioner(db, factory)
    results = await asyncio.to_thread(run_checks, server, idp.token)
    failed = [
        f"{r.resource_type or ''} {r.title}: {r.status.name} {r.reason}"[:300]
        for r in results
        if r.status not in (Status.SUCCESS, Status.COMPLIANT, Status.ACCEPTABLE)
        and not (r.status == Status.SKIPPED and r.title in INAPPLICABLE)
    ]
    assert not failed, "\n".join(failed)
    statuses = Counter(r.status.name for r in results)
    assert statuses["SUCCESS"] >= 60, statuses  # the whole run happened (72 checks succeed with scim2-tester 0.5)
