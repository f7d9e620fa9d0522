"""The analysts' insight pages: the dashboard (charts, reviewers' agreement, the queue, the
weekly report of any week), the models in service, and the weekly report in every format."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import SessionDep, SettingsDep
from api.routes.reports import parse_week, report_response
from api.web import render
from api.web.i18n import translate
from api.web.pages.respond import Analyst, ModelsReader, ReportReader, page
from core.calendar import VIETNAM, Week
from core.db import utcnow
from nlp import registry
from nlp.pipeline import CLASSIFIERS
from report.dashboard import dashboard
from review.agreement import agreement

router = APIRouter(include_in_schema=False)


@router.get("/dashboard")
def dashboard_page(
    request: Request,
    session: SessionDep,
    user: Analyst,
    week: Annotated[str, Query(max_length=40)] = "",
) -> HTMLResponse:
    """The analysts' overview, and the weekly report of any ``week`` (default this week): a week
    picker (``<input type="week">``; typed text is read by ``Week.parse_input`` for browsers that
    show a text field), the previous/next weeks and a link to every format. A week that cannot
    be read answers 422 with the Vietnamese error next to the picker and the current week's
    links."""
    now = Week.containing(utcnow())
    chosen, bad_week = now, False
    if week.strip():
        try:
            chosen = Week.parse_input(week)
        except ValueError:
            bad_week = True
    data = dashboard(session)
    days = data["days"]
    t = translate
    charts = [
        render.bar_chart(
            days, [(t("col_item"), "c-items", data["items"])], t("chart_items_per_day")
        ),
        render.bar_chart(
            days,
            [(t(f"sentiment_{s}"), f"c-{s}", data["sentiment"][s]) for s in data["sentiment"]],
            t("chart_sentiment_trend"),
        ),
        render.bar_chart(
            days,
            [
                (
                    f"{t('flags')}: {t('misinfo_distortion')}",
                    "c-flag-d",
                    data["flags"]["distortion"],
                ),
                (f"{t('flags')}: {t('misinfo_scam')}", "c-flag-s", data["flags"]["scam"]),
                (
                    f"{t('verdicts')}: {t('verdict_distortion')} / {t('verdict_scam')}",
                    "c-confirmed",
                    [
                        a + b
                        for a, b in zip(
                            data["verdicts"]["distortion"], data["verdicts"]["scam"], strict=True
                        )
                    ],
                ),
            ],
            t("chart_flags_verdicts"),
        ),
    ]
    titles = ["chart_items_per_day", "chart_sentiment_trend", "chart_flags_verdicts"]
    return page(
        request,
        "dashboard.html",
        user,
        agreement=agreement(session, since=utcnow() - timedelta(weeks=8)),
        charts=list(zip(titles, charts, strict=True)),
        queue=data["queue"],
        week=chosen,
        week_start=f"{chosen.start.astimezone(VIETNAM):%d/%m/%Y}",
        week_end=f"{chosen.end.astimezone(VIETNAM) - timedelta(days=1):%d/%m/%Y}",
        this_week=now,
        typed_week=week.strip() if bad_week else chosen.label,
        bad_week=bad_week,
        status_code=422 if bad_week else 200,
    )


@router.get("/models")
def models_page(request: Request, settings: SettingsDep, user: ModelsReader) -> HTMLResponse:
    described = {c: registry.describe(settings.models_dir, c) for c in CLASSIFIERS}
    loaded = request.app.state.models.get() is not None
    return page(request, "models.html", user, models=described, loaded=loaded)


@router.get("/reports/weekly")
def weekly_report(
    session: SessionDep,
    user: ReportReader,
    week: str = Query("", max_length=8),
    format: str = Query("html", max_length=4),  # noqa: A002
) -> Response:
    return report_response(session, parse_week(week) if week else Week.containing(utcnow()), format)
