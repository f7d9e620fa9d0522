"""The reviewer web app: server-rendered pages in Vietnamese over the same domain functions as
the API, one module per page group. Routes stay thin: read the form, call one domain function,
redirect (POST → 303 → GET, so a reload never posts twice) or render.

* ``auth``: signing in and out;
* ``review``: the queue and its card, "Đã làm", the escalations;
* ``insight``: the dashboard, the models, the weekly report;
* ``items``: look any item up, read, override, send to review;
* ``admin``: alerts, feeds and accounts.

``respond`` holds what they share (templates, messages, who may see what, ``page``/``go``);
``cards`` shows an item or a task. ``router`` gathers the groups, in the order their paths are
matched; ``api.web.install`` includes it.
"""

from __future__ import annotations

from fastapi import APIRouter

from api.web.pages import admin, auth, insight, items, review

router = APIRouter(include_in_schema=False)
for _group in (auth, review, insight, items, admin):
    router.include_router(_group.router)

__all__ = ["router"]
