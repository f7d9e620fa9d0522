"""``create_app(settings)``: the FastAPI application with its lifespan (engine, sessions, models)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
import fastapi_offline
from fastapi import APIRouter, Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from api import metrics, web
from api.inputs import reject_control_characters
from api.middleware import BodyLimit
from api.routes import (
    alerts,
    auth,
    feeds,
    health,
    items,
    models,
    queue,
    reports,
    submissions,
    users,
)
from api.schemas import ERRORS
from core.config import Settings, get_settings
from core.db import make_engine, make_sessionmaker
from nlp.analyze import Analyzer
from nlp.live import LiveAnalyzer

log = logging.getLogger(__name__)

# Swagger UI and ReDoc from the fastapi-offline wheel, served here: the docs work offline.
DOCS_ASSETS = Path(fastapi_offline.__file__).parent / "static"
DOCS_STATIC = "/docs/assets"


SQLITE_THREADS = 8


def pool_for(threads: int) -> dict[str, int]:
    """SQLAlchemy pool arguments for an API process of ``threads`` worker threads: ``threads``
    + 4 connections at most (10 kept open), so that no request waits for a connection."""
    kept = min(10, threads)
    return {"pool_size": kept, "max_overflow": threads + 4 - kept}


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    # As many worker threads as connections, and a few connections more (Settings.api_threads);
    # SQLite writes one transaction at a time: more than SQLITE_THREADS requests at once only
    # wait on its lock (60 simultaneous logins: 26 "database is locked" after 10 s with 32).
    threads = settings.api_threads
    if settings.database_url.startswith("sqlite"):
        threads = min(threads, SQLITE_THREADS)
    anyio.to_thread.current_default_thread_limiter().total_tokens = threads
    in_memory = settings.database_url.endswith(":memory:")  # one connection, no pool to size
    engine = make_engine(settings.database_url, **({} if in_memory else pool_for(threads)))
    app.state.sessionmaker = make_sessionmaker(engine)
    app.state.models = LiveAnalyzer(
        settings.models_dir,
        settings.data_dir / "facts",
        analyzer=app.state.analyzer,
        check_seconds=settings.model_reload_seconds,
    )
    if app.state.models.get() is None:
        log.error("models not loaded, analysis is unavailable: %s", app.state.models.last_error)
    yield
    engine.dispose()


def settings_upload_bytes(settings: Settings) -> int:
    """The body limit of a report: every image at its cap, plus the other limit for the fields."""
    return settings.report_max_images * settings.report_image_max_bytes + settings.max_body_bytes


def create_app(settings: Settings | None = None, analyzer: Analyzer | None = None) -> FastAPI:
    """Build the app; nothing touches the database or the models until the lifespan starts
    (an already loaded ``analyzer`` may be handed in, as tests do)."""
    app = FastAPI(
        title="duluan API",
        version="0.1.0",
        summary="Review queue for Vietnamese public-opinion monitoring: flagged distortions and scams, "
        "decided by people.",
        lifespan=lifespan,
        docs_url=None,  # the docs pages are added by ``install_docs``, with local assets
        redoc_url=None,
        # Before any route: no NUL or other control character in any request string (422).
        dependencies=[Depends(reject_control_characters)],
    )
    app.state.settings = settings or get_settings()
    app.state.analyzer = analyzer
    web.install(app)  # JSON errors for /api, pages for the web app
    metrics.install(app)
    # Reports carry screenshots: their two routes take up to report_max_images × the image cap.
    upload = settings_upload_bytes(app.state.settings)
    app.add_middleware(
        BodyLimit,
        max_bytes=app.state.settings.max_body_bytes,
        larger={"/api/v1/reports": upload, "/reports/new": upload},
    )
    origins = [o.strip() for o in app.state.settings.cors_origins.split(",") if o.strip()]
    if origins:  # closed unless configured
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key"],
        )
    proxies = [p.strip() for p in app.state.settings.trusted_proxies.split(",") if p.strip()]
    if proxies:  # outermost: the login limits and the logs see the forwarded client address
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=proxies)
    v1 = APIRouter(responses=ERRORS)  # every error has the one documented shape
    v1.include_router(health.router)
    v1.include_router(auth.router)
    v1.include_router(queue.router)
    v1.include_router(feeds.router)
    v1.include_router(items.router)
    v1.include_router(models.router)
    v1.include_router(reports.router)
    v1.include_router(submissions.router)
    v1.include_router(users.router)
    v1.include_router(alerts.router)
    # The prefix is given here, not to ``APIRouter``: an include without a prefix makes FastAPI
    # build every route's state at once to check the paths (0.12 s an app); with it, each
    # router's routes are built when a request first reaches them.
    app.include_router(v1, prefix="/api/v1")
    install_docs(app)
    return app


# The API docs pages load only what the app serves; their inline start-up scripts (Swagger UI's,
# ReDoc's) need 'unsafe-inline'; workers for ReDoc come from blob: URLs. Never framed.
DOCS_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
}


def install_docs(app: FastAPI) -> None:
    """``/docs`` (Swagger UI) and ``/redoc`` whose scripts, styles and icon are all served by the
    app (``/docs/assets/*`` from the fastapi-offline package, ``/favicon.ico``): no CDN, so the
    pages work on a machine without internet."""
    app.mount(DOCS_STATIC, StaticFiles(directory=DOCS_ASSETS), name="docs-static")
    openapi_url = app.openapi_url or "/openapi.json"
    redirect_url = "/docs/oauth2-redirect"
    # The pages below close over these strings, never over ``app``: FastAPI keeps every endpoint
    # in a process-wide cache (4,096 entries), and an endpoint that held its app would keep each
    # app built in the process alive (the test suite builds hundreds).
    title = app.title

    def guarded(page: HTMLResponse) -> HTMLResponse:
        page.headers.update(DOCS_HEADERS)
        return page

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return guarded(
            get_swagger_ui_html(
                openapi_url=openapi_url,
                title=f"{title} · Swagger UI",
                oauth2_redirect_url=redirect_url,
                swagger_js_url=f"{DOCS_STATIC}/swagger-ui-bundle.js",
                swagger_css_url=f"{DOCS_STATIC}/swagger-ui.css",
                swagger_favicon_url="/favicon.ico",
            )
        )

    @app.get(redirect_url, include_in_schema=False)
    def swagger_ui_redirect() -> HTMLResponse:
        return guarded(get_swagger_ui_oauth2_redirect_html())

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return guarded(
            get_redoc_html(
                openapi_url=openapi_url,
                title=f"{title} · ReDoc",
                redoc_js_url=f"{DOCS_STATIC}/redoc.standalone.js",
                redoc_favicon_url="/favicon.ico",
                with_google_fonts=False,
            )
        )
