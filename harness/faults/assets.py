"""Blocked dependent assets: the SDK's asset folder answers 404, as a missing self-hosted copy would."""

from __future__ import annotations

from playwright.sync_api import BrowserContext, Route


def block(context: BrowserContext, assets_path: str) -> None:
    context.route(f"**{assets_path}/**", _not_found)


def unblock(context: BrowserContext, assets_path: str) -> None:
    context.unroute(f"**{assets_path}/**", _not_found)


def _not_found(route: Route) -> None:
    route.fulfill(status=404, body="blocked by the harness (assets: blocked)")
