"""`concierge kb check` holds answers to their sources: figures quoted, cautions, the same numbers in
both languages. Each planted defect is one the audit of issue 16 found in the bundled content."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from bot.cli import app
from knowledge.figures import figures, latest_possible

INTERVIEW = "https://www.chisou.go.jp/chitele/jirei/3379.html"


def entry(**overrides: object) -> dict[str, object]:
    """A well-formed entry whose every figure its source quotes."""
    base: dict[str, object] = {
        "id": "work-job-market-test",
        "category": "仕事",
        "questions": ["北見に仕事はありますか？", "求人倍率は？", "どんな職種の求人が多い？"],
        "answer": "ハローワーク北見管内の有効求人倍率は2024年9月に1.14倍でした。",
        "questions_en": ["Are there jobs in Kitami?"],
        "answer_en": "The job-openings ratio at Hello Work Kitami was 1.14 in September 2024.",
        "sources": [
            {
                "title": "経済の伝書鳩(有効求人倍率)",
                "url": "https://denshobato.com/BD/N/page.php?id=132106",
                "date": "推定2024年秋",
                "quote": "ハローワーク北見管内の有効求人倍率は2024年9月1.14倍、2024年3月1.04倍。",
                "label": "報道",
            }
        ],
        "reviewed": "2026-11-24",
    }
    base.update(overrides)
    return base


def check(tmp_path: Path, *entries: dict[str, object]) -> tuple[int, str]:
    (tmp_path / "test.yaml").write_text(
        yaml.safe_dump({"entries": list(entries)}, allow_unicode=True), encoding="utf-8"
    )
    result = CliRunner().invoke(app, ["kb", "check", str(tmp_path)], terminal_width=400)
    return result.exit_code, result.output


def test_the_bundled_content_passes() -> None:
    result = CliRunner().invoke(app, ["kb", "check"], terminal_width=400)
    assert result.exit_code == 0, result.output
    assert " 0 errors" in result.output


def test_a_well_formed_entry_passes(tmp_path: Path) -> None:
    code, output = check(tmp_path, entry())
    assert code == 0, output


def test_a_figure_no_source_quotes_fails(tmp_path: Path) -> None:
    planted = "ハローワーク北見管内の有効求人倍率は2024年9月に1.14倍で、平均月給は22万円でした。"
    code, output = check(tmp_path, entry(answer=planted, answer_en=None))
    assert code == 1
    assert "figure 220000 in the answer" in output


def test_a_source_without_a_quote_fails(tmp_path: Path) -> None:
    source = {"title": "経済の伝書鳩", "url": "https://denshobato.com/", "date": "2024"}
    code, output = check(tmp_path, entry(sources=[source]))
    assert code == 1 and "needs a quote" in output


def test_an_interview_only_fact_without_a_caution_fails(tmp_path: Path) -> None:
    seminar = {
        "title": "内閣府 地方創生テレワーク事例(北見市工業振興課インタビュー)",
        "url": INTERVIEW,
        "date": "2021",
        "quote": "【2021IV】お盆や正月の前に、親御さん向けのセミナーを開催した。",
        "label": "2021IV",
    }
    answer = "2021年の市の説明では、親御さん向けのセミナーを開催していました。"
    planted = entry(answer=answer, answer_en=None, sources=[seminar])
    code, output = check(tmp_path, planted)
    assert code == 1 and "needs a caution" in output
    code, output = check(tmp_path, {**planted, "caution": "unconfirmed"})
    assert code == 0, output


def test_an_unverified_figure_without_a_caution_fails(tmp_path: Path) -> None:
    bus = {
        "title": "北見市「北見市の紹介」",
        "url": "http://www.city.kitami.lg.jp/docs/2015073000077/",
        "date": "2015-08-11",
        "quote": "市内・市外のバスは主要道路に約30路線ある。",
        "label": "公式・要確認",
    }
    code, output = check(tmp_path, entry(answer="バスは約30路線あります。", answer_en=None, sources=[bus]))
    assert code == 1 and "needs a caution" in output


def test_a_number_that_differs_between_the_languages_fails(tmp_path: Path) -> None:
    english = "The job-openings ratio at Hello Work Kitami was 1.04 in September 2024."
    code, output = check(tmp_path, entry(answer_en=english))
    assert code == 1
    assert "differ in figures" in output and "only Japanese: ['1.14']" in output


def test_an_english_answer_that_drops_a_figure_fails(tmp_path: Path) -> None:
    code, output = check(tmp_path, entry(answer_en="Hello Work Kitami had a ratio above 1 in 2024."))
    assert code == 1 and "differ in figures" in output


@pytest.mark.parametrize(
    ("japanese", "english"),
    [
        ("世帯は最大100万円、単身は最大60万円", "up to ¥1 million for households and ¥600,000 for singles"),
        ("約12万2千人", "about 122,000 people"),
        ("航空運賃の5割以内", "up to 50% of airfares"),
        ("東京〜北見は約2時間半", "Tokyo to Kitami takes about 2.5 hours"),
        ("2025〜27年度", "FY2025–FY2027"),
        ("1日2往復、2024年12月", "2 round trips a day, December 2024"),
        ("工業振興課(0157-25-1210)", "Industrial Promotion Division (0157-25-1210)"),
    ],
)
def test_the_same_figures_read_alike_in_both_languages(japanese: str, english: str) -> None:
    assert figures(japanese) == figures(english, english=True)


def test_a_source_date_is_read_as_its_last_possible_day() -> None:
    assert str(latest_possible("推定2024年秋")) == "2024-12-31"
    assert str(latest_possible("2015-08-11")) == "2015-08-11"
    assert str(latest_possible("2024-12")) == "2024-12-31"
    assert latest_possible("日付不明") is None


def test_an_id_merged_away_is_not_given_out_again(tmp_path: Path) -> None:
    merged = entry(replaces=["work-job-market-old"])
    reused = entry(id="work-job-market-old", questions=["求人は多い？", "仕事は探せる？", "職種は？"])
    code, output = check(tmp_path, merged, reused)
    assert code == 1
    assert "duplicate id work-job-market-old" in output
