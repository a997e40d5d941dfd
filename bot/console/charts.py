"""The numbers as pictures: pygal draws each chart as SVG on the server, and the page shows the
same numbers beside it as a table (readable without the picture, by screen readers too)."""

from __future__ import annotations

import re

import pygal
from pygal.style import Style
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.clock import utcnow
from bot.console.auth import Console
from desk import accounts
from desk import numbers as desk_numbers

# Colours told apart by people with the common colour-vision differences (Okabe–Ito).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#222",
    foreground_strong="#111",
    foreground_subtle="#555",
    colors=PALETTE,
    font_family="'Noto Sans CJK JP', 'Hiragino Sans', sans-serif",
)
# An SVG shown as an <img> runs no script; its own styles need 'unsafe-inline' in *its* policy.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
INLINE_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
STACKED = {"questions"}
BARS = {"sources", "referrals"}


def chart_svg(name: str, series: desk_numbers.Series) -> bytes:
    kind = pygal.StackedBar if name in STACKED else pygal.Bar if name in BARS else pygal.Line
    chart = kind(
        style=STYLE,
        js=[],  # pygal's tooltips load a script from a CDN: none
        width=720,
        height=360,
        legend_at_bottom=True,
        x_label_rotation=30 if len(series.labels) > 6 else 0,
        print_values=False,
        show_y_guides=True,
        min_scale=1,
        max_scale=8,
        title=series.title,
        no_data_text="データなし",
    )
    chart.x_labels = series.labels
    for label, values in series.values.items():
        chart.add(label, values)
    # pygal always writes its tooltip configuration as an inline script; an SVG shown as an image
    # would not run it, and without it the file is plain drawing.
    return INLINE_SCRIPT.sub("", chart.render(is_unicode=True)).encode()


def routes(console: Console) -> list[Route]:
    db = console.db

    def charts() -> dict[str, desk_numbers.Series]:
        with db.transaction() as session:
            return desk_numbers.all_charts(session, utcnow())

    @console.guard(accounts.Role.VIEWER)
    async def numbers_page(request: Request, staff: accounts.Staff) -> Response:
        return console.render(request, "numbers.html", {"charts": await console.run(charts)}, staff=staff)

    @console.guard(accounts.Role.VIEWER)
    async def chart(request: Request, _staff: accounts.Staff) -> Response:
        name = request.path_params["name"]
        series = (await console.run(charts)).get(name)
        if series is None:
            return Response("not found", status_code=404)
        headers = {"content-security-policy": SVG_POLICY, "cache-control": "no-store"}
        return Response(chart_svg(name, series), media_type="image/svg+xml", headers=headers)

    return [Route("/numbers", numbers_page), Route("/charts/{name}.svg", chart)]
